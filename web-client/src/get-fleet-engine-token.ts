import { httpsCallable, type Functions } from "firebase/functions";
import { toFleetEngineTokenError } from "./errors.js";
import { parseTokenResponse } from "./response.js";
import type {
  FleetEngineTokenRequest,
  FleetEngineTokenResponse,
  TokenType,
} from "./token-types.js";

/** The callable's name, as exported by the functions codebase. */
export const FUNCTION_NAME = "getFleetEngineToken";

export interface GetFleetEngineTokenOptions {
  /**
   * Send a limited-use App Check token (a fresh attestation per call). Required when the
   * service runs with CONSUME_APP_CHECK_TOKEN=true (replay protection). Default false.
   */
  limitedUseAppCheckTokens?: boolean;
  /** Give up after this many milliseconds (code `deadline-exceeded`). Default: the SDK's 70 s. */
  timeoutMillis?: number;
}

/**
 * Calls the `getFleetEngineToken` callable once, with no caching. Use
 * {@link createAuthTokenFetcher} for the Maps JavaScript libraries.
 *
 * `functions` must be for the callable's region: `getFunctions(app, "us-central1")`.
 * Rejects with a {@link FleetEngineTokenError} whose `code` is the callable's error code
 * (`permission-denied`, `unauthenticated`, ...) or `invalid-response`.
 *
 * @example
 * const functions = getFunctions(app, "us-central1");
 * const { token, expiresInSeconds } = await getFleetEngineToken(functions, {
 *   type: "consumer",
 *   tripId,
 * });
 */
export async function getFleetEngineToken<T extends TokenType>(
  functions: Functions,
  request: FleetEngineTokenRequest<T>,
  options: GetFleetEngineTokenOptions = {},
): Promise<FleetEngineTokenResponse<T>> {
  const callable = httpsCallable<FleetEngineTokenRequest<T>, unknown>(functions, FUNCTION_NAME, {
    limitedUseAppCheckTokens: options.limitedUseAppCheckTokens ?? false,
    ...(options.timeoutMillis === undefined ? {} : { timeout: options.timeoutMillis }),
  });
  let data: unknown;
  try {
    ({ data } = await callable(request));
  } catch (error) {
    throw toFleetEngineTokenError(error);
  }
  return parseTokenResponse(data, request.type as T);
}
