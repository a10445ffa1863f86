import { getAuth, type Auth } from "firebase/auth";
import type { Functions } from "firebase/functions";
import {
  requestForContext,
  type AuthToken,
  type AuthTokenFetcher,
  type AuthTokenFetcherOptions,
} from "./auth-token-context.js";
import { toFleetEngineTokenError } from "./errors.js";
import {
  functionNameProblem,
  getFleetEngineToken,
  isFunctionName,
  type GetFleetEngineTokenOptions,
} from "./get-fleet-engine-token.js";
import { TokenCache, type FetchedToken } from "./token-cache.js";
import { isTokenType, type FleetEngineTokenRequest, type TokenType } from "./token-types.js";

/** The Driver and Consumer SDKs ask for at least 5 minutes of life on every token. */
export const DEFAULT_REFRESH_WINDOW_SECONDS = 300;

export interface CreateAuthTokenFetcherOptions extends GetFleetEngineTokenOptions {
  /** The token type every token of this fetcher has. */
  type: TokenType;
  /**
   * Fetch a new token once fewer than this many SECONDS of the cached one remain.
   * Default 300 (5 minutes). A token whose whole lifetime is shorter than the window is used
   * until half of it is gone.
   */
  refreshWindowSeconds?: number;
  /**
   * The Auth instance whose signed-in user the tokens are for. Cached tokens are never handed
   * to a different user: a change of user empties the cache. Default `getAuth(functions.app)`.
   */
  auth?: Auth;
  /**
   * Told after every successful call to the callable (a first fetch or a refresh; never a cache
   * hit), e.g. for metrics or to show refreshes. The event carries no token. It must not throw:
   * an exception from it is rethrown asynchronously and does not affect the token.
   */
  onTokenFetched?: (event: TokenFetchedEvent) => void;
}

/** One call the fetcher made to the callable. */
export interface TokenFetchedEvent {
  /** What it asked for: the type and the resource ID, if any. */
  readonly request: FleetEngineTokenRequest;
  /** The new token's lifetime in SECONDS, as the service answered. */
  readonly expiresInSeconds: number;
}

/** What a fetcher needs, injectable so that unit tests can drive it with fakes and a clock. */
export interface AuthTokenFetcherDeps {
  readonly type: TokenType;
  readonly refreshWindowSeconds: number;
  readonly call: (request: FleetEngineTokenRequest) => Promise<FetchedToken>;
  /** The uid of the signed-in user, if any. */
  readonly currentUid: () => string | undefined;
  readonly now: () => number;
  readonly onTokenFetched?: ((event: TokenFetchedEvent) => void) | undefined;
}

function checkOptions(options: CreateAuthTokenFetcherOptions): void {
  if (!isTokenType(options.type)) {
    throw new TypeError(`createAuthTokenFetcher: unknown token type ${String(options.type)}`);
  }
  if (options.functionName !== undefined && !isFunctionName(options.functionName)) {
    throw new TypeError(`createAuthTokenFetcher: ${functionNameProblem(options.functionName)}`);
  }
  const window = options.refreshWindowSeconds;
  if (window !== undefined && !(Number.isFinite(window) && window >= 0)) {
    throw new RangeError(
      `createAuthTokenFetcher: refreshWindowSeconds must be a number of seconds >= 0, got ${String(window)}`,
    );
  }
}

/**
 * Returns the `authTokenFetcher` that the Maps JavaScript journey-sharing and fleet-tracking
 * location providers take: `({ context, serviceType }) => Promise<{ token, expiresInSeconds }>`,
 * with `expiresInSeconds` in SECONDS counted from the moment it resolves.
 *
 * The context's ID of the type (`tripId` for consumer, `trackingId` for deliveryConsumer,
 * `vehicleId` for driver, `deliveryVehicleId` for deliveryDriver) goes into the request.
 * Tokens are cached per type and ID and refreshed when fewer than `refreshWindowSeconds`
 * remain; concurrent calls share one request; an expired token is never returned. Failures
 * reject with a {@link FleetEngineTokenError} that keeps the callable's code.
 *
 * `options.functionName` names the callable when it is not `getFleetEngineToken`: a function
 * kit instance serves it as `kit-<instance>-getFleetEngineToken`.
 *
 * @example
 * const authTokenFetcher = createAuthTokenFetcher(getFunctions(app, "us-central1"), {
 *   type: "consumer",
 * });
 * const locationProvider = new google.maps.journeySharing.FleetEngineTripLocationProvider({
 *   projectId,
 *   authTokenFetcher,
 *   tripId,
 * });
 */
export function createAuthTokenFetcher(
  functions: Functions,
  options: CreateAuthTokenFetcherOptions,
): AuthTokenFetcher {
  checkOptions(options);
  const callOptions: GetFleetEngineTokenOptions = {
    ...(options.limitedUseAppCheckTokens === undefined
      ? {}
      : { limitedUseAppCheckTokens: options.limitedUseAppCheckTokens }),
    ...(options.timeoutMillis === undefined ? {} : { timeoutMillis: options.timeoutMillis }),
    ...(options.functionName === undefined ? {} : { functionName: options.functionName }),
  };
  return buildAuthTokenFetcher({
    type: options.type,
    refreshWindowSeconds: options.refreshWindowSeconds ?? DEFAULT_REFRESH_WINDOW_SECONDS,
    call: (request) => getFleetEngineToken(functions, request, callOptions),
    // Looked up per call, not at creation: apps often create the fetcher before Auth is ready.
    currentUid: () => (options.auth ?? getAuth(functions.app)).currentUser?.uid,
    now: () => Date.now(),
    onTokenFetched: options.onTokenFetched,
  });
}

/** The fetcher itself, over injected dependencies. */
export function buildAuthTokenFetcher(deps: AuthTokenFetcherDeps): AuthTokenFetcher {
  const cache = new TokenCache({
    refreshWindowMillis: deps.refreshWindowSeconds * 1000,
    now: deps.now,
  });
  let lastUid: string | undefined;
  return async ({ context }: AuthTokenFetcherOptions): Promise<AuthToken> => {
    try {
      const { request, key } = requestForContext(deps.type, context ?? {});
      const uid = deps.currentUid();
      if (uid !== lastUid) {
        // Someone else signed in (or out): their tokens must not be served to the next user.
        cache.clear();
        lastUid = uid;
      }
      const { token, expiresInSeconds } = await cache.get(`${uid ?? ""}\u0000${key}`, async () => {
        const fetched = await deps.call(request);
        notify(deps.onTokenFetched, { request, expiresInSeconds: fetched.expiresInSeconds });
        return fetched;
      });
      return { token, expiresInSeconds };
    } catch (error) {
      throw toFleetEngineTokenError(error);
    }
  };
}

/** Calls a listener without letting it break token delivery; its exceptions surface later. */
function notify(
  listener: ((event: TokenFetchedEvent) => void) | undefined,
  event: TokenFetchedEvent,
): void {
  if (listener === undefined) return;
  try {
    listener(event);
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}
