import { ErrorCode, TokenServiceError } from "./errors.js";

/**
 * One bound for a whole call: config, the Auth lookup, the Firestore read, credential discovery
 * and access tokens from the metadata server, and IAM. Per-step timeouts inside the clients are
 * shorter; this catches every wait that has none (google-auth-library's metadata-server calls).
 */
export const CALL_DEADLINE_MS = 10_000;

/**
 * What a component needs to honour its call's deadline. Work that outlives the deadline keeps
 * running (a pending HTTP request cannot always be stopped), so everything that could lead to a
 * signature checks the deadline again after each wait: a late answer never signs.
 */
export interface CallContext {
  /** Aborted when the deadline passes; hand it to HTTP clients that take one. */
  readonly signal: AbortSignal;
  /** Runs `work` as the named step, so that a deadline passing during it names the step. */
  step<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Throws the deadline error once the deadline has passed. */
  throwIfExpired(): void;
}

/** A context without a deadline, for components used outside a call (tools, benchmarks). */
export const NO_DEADLINE: CallContext = {
  signal: new AbortController().signal,
  step: (_name, work) => work(),
  throwIfExpired: () => undefined,
};

export class CallDeadline implements CallContext {
  readonly #controller = new AbortController();
  /** Steps under way, with how many of each (the Auth lookup and the read run side by side). */
  readonly #pending = new Map<string, number>();
  #lastStep = "start";
  #error: TokenServiceError | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #expired: Promise<never>;

  constructor(readonly timeoutMs: number = CALL_DEADLINE_MS) {
    let expire: (error: TokenServiceError) => void = () => undefined;
    this.#expired = new Promise<never>((_, reject) => {
      expire = reject;
    });
    this.#expired.catch(() => undefined);
    this.#timer = setTimeout(() => {
      this.#error = this.#deadlineError();
      this.#controller.abort(this.#error);
      expire(this.#error);
    }, timeoutMs);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** `work`'s result, or the deadline error if the deadline passes first. */
  bound<T>(work: Promise<T>): Promise<T> {
    work.catch(() => undefined); // a late failure after the deadline is not an unhandled rejection
    return Promise.race([work, this.#expired]);
  }

  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.throwIfExpired();
    this.#lastStep = name;
    this.#pending.set(name, (this.#pending.get(name) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = (this.#pending.get(name) ?? 1) - 1;
      if (left > 0) this.#pending.set(name, left);
      else this.#pending.delete(name);
    }
  }

  throwIfExpired(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  /** Stops the timer; call when the call has answered. */
  dispose(): void {
    clearTimeout(this.#timer);
  }

  #deadlineError(): TokenServiceError {
    const steps = this.#pending.size > 0 ? [...this.#pending.keys()].join("+") : this.#lastStep;
    return new TokenServiceError(
      ErrorCode.BackendUnavailable,
      `no answer within the call deadline of ${this.timeoutMs} ms; waiting on ${steps}`,
      { details: { reason: "deadline-exceeded", step: steps, deadlineMs: this.timeoutMs } },
    );
  }
}
