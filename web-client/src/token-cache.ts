import { FleetEngineTokenError } from "./errors.js";

/** What the cache needs from a fetch: the token and its lifetime in SECONDS. */
export interface FetchedToken {
  readonly token: string;
  readonly expiresInSeconds: number;
}

/** Never hand out a token with less than this left: `expiresInSeconds` would round to 0. */
const MIN_LIFE_MS = 1000;

interface Entry {
  readonly token: string;
  /** Local-clock milliseconds. */
  readonly expiresAt: number;
  readonly refreshAt: number;
}

export interface TokenCacheOptions {
  /** Refresh a token once fewer than this many milliseconds of its life remain. */
  readonly refreshWindowMillis: number;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  readonly now: () => number;
}

/**
 * Tokens by key, each reused until its refresh point, with at most one fetch per key in flight
 * (concurrent callers share it). Expiry is measured on the local clock from the moment the
 * fetch STARTED plus `expiresInSeconds`, which errs early and is immune to a skewed device
 * clock, unlike the service's absolute `expiresAtMillis`.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Promise<Entry>>();
  readonly #options: TokenCacheOptions;

  constructor(options: TokenCacheOptions) {
    this.#options = options;
  }

  /** A token with at least a second of life left, from the cache or from one shared fetch. */
  async get(key: string, fetch: () => Promise<FetchedToken>): Promise<FetchedToken> {
    const now = this.#options.now();
    this.#dropExpired(now);
    const cached = this.#entries.get(key);
    if (cached !== undefined && now < cached.refreshAt && cached.expiresAt - now >= MIN_LIFE_MS) {
      return this.#present(cached, now);
    }

    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      pending = this.#fetchEntry(fetch);
      this.#inFlight.set(key, pending);
      const settled = pending;
      const forget = (): void => {
        if (this.#inFlight.get(key) === settled) this.#inFlight.delete(key);
      };
      settled.then((entry) => {
        this.#entries.set(key, entry);
        forget();
      }, forget);
    }
    const entry = await pending;
    return this.#present(entry, this.#options.now());
  }

  /** Forgets every token, e.g. when the signed-in user changes. */
  clear(): void {
    this.#entries.clear();
  }

  async #fetchEntry(fetch: () => Promise<FetchedToken>): Promise<Entry> {
    const startedAt = this.#options.now();
    const { token, expiresInSeconds } = await fetch();
    const receivedAt = this.#options.now();
    const expiresAt = startedAt + expiresInSeconds * 1000;
    if (expiresAt - receivedAt < MIN_LIFE_MS) {
      throw new FleetEngineTokenError(
        "invalid-response",
        `getFleetEngineToken answered a token with ${expiresInSeconds} s of life, already spent.`,
      );
    }
    const windowStart = expiresAt - this.#options.refreshWindowMillis;
    // A token that arrives already inside the refresh window (a service lifetime shorter than
    // the window) is used until half of its remaining life is gone, so that every call does
    // not become a fetch.
    const refreshAt =
      windowStart > receivedAt ? windowStart : receivedAt + (expiresAt - receivedAt) / 2;
    return { token, expiresAt, refreshAt };
  }

  #present(entry: Entry, now: number): FetchedToken {
    const expiresInSeconds = Math.floor((entry.expiresAt - now) / 1000);
    if (entry.expiresAt - now < MIN_LIFE_MS) {
      // Only reachable when a fetch outlived the token it brought: never hand that out.
      throw new FleetEngineTokenError(
        "deadline-exceeded",
        "The Fleet Engine token expired before it could be used; try again.",
      );
    }
    return { token: entry.token, expiresInSeconds };
  }

  #dropExpired(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}
