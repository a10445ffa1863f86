import {
  isFleetEngineTokenError,
  type AuthTokenFetcher,
  type AuthTokenFetcherOptions,
} from "fleet-engine-firebase-tokens-web";
import { decodeToken, type DecodedToken } from "./decoded-token.js";

/** A distinct token the fetcher handed out, and when the page first saw it. */
export interface SeenToken {
  readonly number: number;
  readonly firstSeenMillis: number;
  readonly authorization: unknown;
  readonly decoded: DecodedToken;
}

export interface WatchState {
  /** What the fetcher said on its last answer: SECONDS left on the current token. */
  readonly expiresInSeconds: number | undefined;
  /** Every distinct token so far, oldest first. A new one is a refresh by the package. */
  readonly tokens: readonly SeenToken[];
  readonly error: { readonly code: string; readonly message: string } | undefined;
}

/**
 * Asks the fetcher for a token once a second, the way the Maps JavaScript location providers
 * ask before their Fleet Engine requests, and reports what it answers. All caching and
 * refreshing is the package's: this only watches. Stops at the first error, so that a refusal
 * is not retried every second.
 */
export class TokenWatch {
  #state: WatchState = { expiresInSeconds: undefined, tokens: [], error: undefined };
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
    void this.#tick();
    this.#timer = setInterval(() => void this.#tick(), this.intervalMillis);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  async #tick(): Promise<void> {
    if (this.#busy) return; // the previous fetch is still in flight
    this.#busy = true;
    try {
      const { token, expiresInSeconds } = await this.fetcher(this.request);
      if (this.#timer === undefined) return; // stopped while the fetch was in flight
      let tokens = this.#state.tokens;
      if (token !== this.#lastToken) {
        this.#lastToken = token;
        const decoded = decodeToken(token);
        tokens = [
          ...tokens,
          {
            number: tokens.length + 1,
            firstSeenMillis: this.now(),
            authorization: decoded.claims.authorization,
            decoded,
          },
        ];
      }
      this.#update({ expiresInSeconds, tokens, error: undefined });
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
