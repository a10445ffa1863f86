import type { Clock } from "../clock.js";
import {
  CALL_DEADLINE_MS,
  CallDeadline,
  NO_DEADLINE,
  type BoundKind,
  type CallContext,
} from "../deadline.js";
import { ErrorCode, TokenServiceError } from "../errors.js";

/** A signed token and its lifetime, seconds since the epoch. */
export interface SignedToken {
  readonly token: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export interface TokenCacheOptions {
  clock: Clock;
  /**
   * At most this many tokens are kept; the least recently used goes first (to within half the
   * cache, see #touch). 0 = no reuse.
   */
  maxEntries: number;
  /**
   * A token is reused only while at least this fraction of its lifetime remains (0.5: every
   * client still gets at least half a lifetime), and never with less than MIN_REMAINING_SECONDS.
   */
  minRemainingFraction: number;
  /**
   * The bound of a signature that concurrent callers share, independent of any caller's deadline
   * (default CALL_DEADLINE_MS): a stuck signature is abandoned and forgotten at this bound.
   */
  signatureTimeoutMs?: number;
}

/** How a signature shared by callers runs: `sign` gets the signature's own context. */
export type Sign = (context: CallContext) => Promise<SignedToken>;

const SHARED_SIGNATURE: BoundKind = {
  name: "shared signature's bound",
  reason: "signature-timeout",
};

/** A signature under way, and how many callers wait for it. */
interface Flight {
  readonly promise: Promise<SignedToken>;
  readonly context: CallDeadline;
  waiters: number;
  settled: boolean;
}

interface Entry {
  readonly token: SignedToken;
  /** The value of #placements when the entry was last put at the end of #entries. */
  placed: number;
}

/** The client SDKs want at least 5 minutes of life on a token they are handed. */
export const MIN_REMAINING_SECONDS = 300;

/**
 * Per-instance reuse of signed tokens. It saves signatures (IAM round trips and quota), never
 * decisions: callers check entitlement before asking, on every call. The key must name the
 * signing account and the exact claim set (minus iat/exp), so a reused token is the token that
 * would have been signed. Concurrent requests for one key share one signing call.
 */
export class TokenCache {
  readonly #options: TokenCacheOptions;
  /** Insertion order is recency order (see #touch); the least recent entry goes first. */
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Flight>();
  /** Counts placements at the end of #entries: an entry's `placed` says how far back it is. */
  #placements = 0;

  constructor(options: TokenCacheOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * A fresh token for `key`: a cached one with enough life left, the result of a signing call
   * already under way for the same key, or a new signature from `sign`.
   *
   * A signature is shared by every caller who asks for its key while it runs, and runs under its
   * own bound (signatureTimeoutMs), never under the deadline of the caller who started it: a
   * caller whose deadline passes leaves it with its own deadline error, and the others still get
   * their token. When the last caller has left, the signature is abandoned (nothing signs for
   * nobody); at its bound, a stuck signature fails and is forgotten, so the next caller starts a
   * new one.
   */
  async getOrSign(
    key: string,
    sign: Sign,
    caller: CallContext = NO_DEADLINE,
  ): Promise<{ token: SignedToken; cached: boolean }> {
    const cached = this.#entries.get(key);
    if (cached !== undefined) {
      if (this.#isFresh(cached.token)) {
        this.#touch(key, cached);
        return { token: cached.token, cached: true };
      }
      this.#entries.delete(key);
    }
    caller.throwIfExpired();
    const joined = this.#inFlight.get(key);
    const flight = joined ?? this.#start(key, sign);
    flight.waiters++;
    try {
      const token = await caller.join({
        promise: flight.promise,
        steps: () => flight.context.steps(),
      });
      return { token, cached: joined !== undefined };
    } finally {
      flight.waiters--;
      if (flight.waiters === 0 && !flight.settled) {
        flight.context.abort(
          new TokenServiceError(ErrorCode.BackendUnavailable, "every caller left the signature", {
            details: { reason: "signature-abandoned" },
          }),
        );
      }
    }
  }

  /** In-flight signatures (for tests: a stuck one must not stay). */
  get signing(): number {
    return this.#inFlight.size;
  }

  #start(key: string, sign: Sign): Flight {
    const context = new CallDeadline(
      this.#options.signatureTimeoutMs ?? CALL_DEADLINE_MS,
      SHARED_SIGNATURE,
    );
    const work = sign(context);
    const flight: Flight = {
      context,
      waiters: 0,
      settled: false,
      promise: context.bound(work).finally(() => {
        flight.settled = true;
        context.dispose();
        if (this.#inFlight.get(key) === flight) this.#inFlight.delete(key);
      }),
    };
    flight.promise.catch(() => undefined); // each waiter sees the failure; nobody else must
    this.#inFlight.set(key, flight);
    this.#remember(key, flight.promise);
    return flight;
  }

  #remember(key: string, pending: Promise<SignedToken>): void {
    if (this.#options.maxEntries <= 0) return;
    pending.then(
      (token) => {
        this.#entries.delete(key);
        this.#place(key, { token, placed: 0 });
        while (this.#entries.size > this.#options.maxEntries) {
          const oldest = this.#entries.keys().next().value;
          if (oldest === undefined) break;
          this.#entries.delete(oldest);
        }
      },
      () => undefined, // a failed signature is not cached; the caller sees the error
    );
  }

  /**
   * Marks a hit as recent. Moving the entry to the end (delete, then set) on every hit would
   * be exact LRU, but V8's Map keeps each deleted slot in the key's hash chain until it rehashes,
   * so a hot key (the operators' shared token, a viral tracking link) got slower with every hit:
   * tens of microseconds per lookup at 10,000 entries. An entry moves only once it is in the
   * older half of the cache, so a hot key moves once per maxEntries / 2 new tokens, and eviction
   * still takes the least recent entry to within half the cache.
   */
  #touch(key: string, entry: Entry): void {
    if (this.#placements - entry.placed < this.#options.maxEntries / 2) return;
    this.#entries.delete(key);
    this.#place(key, entry);
  }

  #place(key: string, entry: Entry): void {
    entry.placed = ++this.#placements;
    this.#entries.set(key, entry);
  }

  #isFresh(token: SignedToken): boolean {
    const now = this.#options.clock.nowMillis() / 1000;
    const remaining = token.expiresAt - now;
    const lifetime = token.expiresAt - token.issuedAt;
    return (
      remaining >= MIN_REMAINING_SECONDS &&
      remaining >= lifetime * this.#options.minRemainingFraction
    );
  }
}
