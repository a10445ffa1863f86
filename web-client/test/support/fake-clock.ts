/** A clock that moves only when a test says so. */
export class FakeClock {
  #now: number;

  constructor(startMillis = Date.UTC(2026, 10, 1, 12, 0, 0)) {
    this.#now = startMillis;
  }

  readonly now = (): number => this.#now;

  advanceSeconds(seconds: number): void {
    this.#now += seconds * 1000;
  }
}

/** A promise the test resolves or rejects by hand, to hold a fetch in flight. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
