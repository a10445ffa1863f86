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
  /**
   * Waits for work that other calls share (the token cache's single signature), under this
   * call's deadline only: when it passes, this call leaves and names the steps the shared work
   * is in; the work itself goes on for the others, under its own bound.
   */
  join<T>(shared: SharedWork<T>): Promise<T>;
}

/** Work several calls wait for, with its own bound (see TokenCache). */
export interface SharedWork<T> {
  readonly promise: Promise<T>;
  /** The steps the work is in now, for the log of a caller whose deadline passes. */
  steps(): string;
}

/** A context without a deadline, for components used outside a call (tools, benchmarks). */
export const NO_DEADLINE: CallContext = {
  signal: new AbortController().signal,
  step: (_name, work) => work(),
  throwIfExpired: () => undefined,
  join: (shared) => shared.promise,
};

/** What a bound is for, in its error: one call, or a signature shared by calls. */
export interface BoundKind {
  /** `call deadline`, `shared signature's bound`. */
  readonly name: string;
  /** The error's details.reason: `deadline-exceeded`, `signature-timeout`. */
  readonly reason: string;
}

export const CALL_BOUND: BoundKind = { name: "call deadline", reason: "deadline-exceeded" };

export class CallDeadline implements CallContext {
  readonly #controller = new AbortController();
  /** Steps under way, with how many of each (the Auth lookup and the read run side by side). */
  readonly #pending = new Map<string, number>();
  /** Shared work this call waits for (join), asked for its steps if the deadline passes. */
  readonly #shared = new Set<SharedWork<unknown>>();
  #lastStep = "start";
  #error: TokenServiceError | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #expired: Promise<never>;
  readonly #expire: (error: TokenServiceError) => void;

  constructor(
    readonly timeoutMs: number = CALL_DEADLINE_MS,
    readonly kind: BoundKind = CALL_BOUND,
  ) {
    let expire: (error: TokenServiceError) => void = () => undefined;
    this.#expired = new Promise<never>((_, reject) => {
      expire = reject;
    });
    this.#expired.catch(() => undefined);
    this.#expire = expire;
    this.#timer = setTimeout(() => this.abort(this.#deadlineError()), timeoutMs);
  }

  /** Ends the work under this bound now, with `error`: every wait and step then throws it. */
  abort(error: TokenServiceError): void {
    if (this.#error !== undefined) return;
    clearTimeout(this.#timer);
    this.#error = error;
    this.#controller.abort(error);
    this.#expire(error);
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

  async join<T>(shared: SharedWork<T>): Promise<T> {
    this.throwIfExpired();
    this.#shared.add(shared);
    try {
      return await this.bound(shared.promise);
    } finally {
      this.#shared.delete(shared);
    }
  }

  /** The steps under way (or the last one), as the deadline error names them. */
  steps(): string {
    const own = [...this.#pending.keys()];
    const shared = [...this.#shared].map((work) => work.steps());
    const all = [...own, ...shared].filter((step) => step !== "");
    return all.length > 0 ? [...new Set(all)].join("+") : this.#lastStep;
  }

  /** Stops the timer; call when the call has answered. */
  dispose(): void {
    clearTimeout(this.#timer);
  }

  #deadlineError(): TokenServiceError {
    const steps = this.steps();
    return new TokenServiceError(
      ErrorCode.BackendUnavailable,
      `no answer within the ${this.kind.name} of ${this.timeoutMs} ms; waiting on ${steps}`,
      { details: { reason: this.kind.reason, step: steps, deadlineMs: this.timeoutMs } },
    );
  }
}
