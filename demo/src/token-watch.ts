import {
  isFleetEngineTokenError,
  type AuthTokenFetcher,
  type AuthTokenFetcherOptions,
  type TokenFetchedEvent,
} from "fleet-engine-firebase-tokens-web";
import { decodeToken, type DecodedToken } from "./decoded-token.js";

/** A distinct token the fetcher handed out. */
export interface SeenToken {
  readonly number: number;
  readonly authorization: unknown;
  readonly decoded: DecodedToken;
}

/** One call the package made to getFleetEngineToken, and the token the page then received. */
export interface PackageCall {
  readonly number: number;
  readonly atMillis: number;
  /** The lifetime the service gave the token it answered with, in seconds. */
  readonly expiresInSeconds: number;
  /** The token number it brought; the same as before when the service reused its token. */
  readonly tokenNumber: number | undefined;
  readonly newToken: boolean;
}

export interface WatchState {
  /** What the fetcher said on its last answer: SECONDS left on the current token. */
  readonly expiresInSeconds: number | undefined;
  /** Every distinct token so far, oldest first. */
  readonly tokens: readonly SeenToken[];
  /** Every call the package made to the callable (its onTokenFetched events), oldest first. */
  readonly calls: readonly PackageCall[];
  readonly error: { readonly code: string; readonly message: string } | undefined;
}

/**
 * Asks the fetcher for a token once a second, the way the Maps JavaScript location providers
 * ask before their Fleet Engine requests, and reports what it answers, with the calls the
 * package made (told through onTokenFetched). All caching and refreshing is the package's:
 * this only watches. Stops at the first error, so that a refusal is not retried every second.
 */
export class TokenWatch {
  #state: WatchState = { expiresInSeconds: undefined, tokens: [], calls: [], error: undefined };
  #lastToken: string | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #busy = false;

  constructor(
    private readonly fetcher: AuthTokenFetcher,
    private readonly request: AuthTokenFetcherOptions,
    private readonly onChange: (state: WatchState) => void,
    private readonly now: () => number = () => Date.now(),
    private readonly intervalMillis = 1000,
  ) {}

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.#tick(), this.intervalMillis);
    void this.#tick();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** Give this the fetcher's onTokenFetched events for this request. */
  recordCall(event: TokenFetchedEvent): void {
    const call: PackageCall = {
      number: this.#state.calls.length + 1,
      atMillis: this.now(),
      expiresInSeconds: event.expiresInSeconds,
      tokenNumber: undefined,
      newToken: false,
    };
    this.#update({ ...this.#state, calls: [...this.#state.calls, call] });
  }

  async #tick(): Promise<void> {
    if (this.#busy) return; // the previous fetch is still in flight
    this.#busy = true;
    try {
      const { token, expiresInSeconds } = await this.fetcher(this.request);
      if (this.#timer === undefined) return; // stopped while the fetch was in flight
      let { tokens } = this.#state;
      const newToken = token !== this.#lastToken;
      if (newToken) {
        this.#lastToken = token;
        const decoded = decodeToken(token);
        tokens = [
          ...tokens,
          { number: tokens.length + 1, authorization: decoded.claims.authorization, decoded },
        ];
      }
      // The answer to a call the package just made: say which token it brought.
      const calls = this.#state.calls.map((call) =>
        call.tokenNumber === undefined ? { ...call, tokenNumber: tokens.length, newToken } : call,
      );
      this.#update({ expiresInSeconds, tokens, calls, error: undefined });
    } catch (error) {
      this.stop();
      this.#update({
        ...this.#state,
        error: isFleetEngineTokenError(error)
          ? { code: error.code, message: error.message }
          : { code: "unknown", message: String(error) },
      });
    } finally {
      this.#busy = false;
    }
  }

  #update(state: WatchState): void {
    this.#state = state;
    this.onChange(state);
  }
}
