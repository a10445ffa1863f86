/**
 * fleet-engine-firebase-tokens-web: the browser side of the getFleetEngineToken callable.
 * Explicit exports only; internals (the cache, the response checks) stay private.
 */
export { createAuthTokenFetcher, DEFAULT_REFRESH_WINDOW_SECONDS } from "./auth-token-fetcher.js";
export type { CreateAuthTokenFetcherOptions, TokenFetchedEvent } from "./auth-token-fetcher.js";
export type {
  AuthToken,
  AuthTokenContext,
  AuthTokenFetcher,
  AuthTokenFetcherOptions,
} from "./auth-token-context.js";
export { FleetEngineTokenError, isFleetEngineTokenError } from "./errors.js";
export type { FleetEngineTokenErrorCode } from "./errors.js";
export { FUNCTION_NAME, getFleetEngineToken } from "./get-fleet-engine-token.js";
export type { GetFleetEngineTokenOptions } from "./get-fleet-engine-token.js";
export { MAX_TOKEN_LIFETIME_SECONDS } from "./response.js";
export { TOKEN_TYPES } from "./token-types.js";
export type {
  AuthorizationByType,
  FleetEngineTokenRequest,
  FleetEngineTokenResponse,
  TokenRequestByType,
  TokenType,
} from "./token-types.js";
