import { httpsCallable, type Functions } from "firebase/functions";
import { FleetEngineTokenError, toFleetEngineTokenError } from "./errors.js";
import { parseTokenResponse } from "./response.js";
import type {
  FleetEngineTokenRequest,
  FleetEngineTokenResponse,
  TokenType,
} from "./token-types.js";

/**
 * The callable's default name: what a deploy of the repository serves. A function kit instance
 * serves it as `kit-<instance>-getFleetEngineToken`; pass that as `functionName`.
 */
export const FUNCTION_NAME = "getFleetEngineToken";

export interface GetFleetEngineTokenOptions {
  /**
   * The callable's name. Default `getFleetEngineToken`; a function kit instance serves it as
   * `kit-<instance>-getFleetEngineToken` (e.g. `kit-fleet-engine-firebase-tokens-getFleetEngineToken`).
   */
  functionName?: string;
  /**
   * Send a limited-use App Check token (a fresh attestation per call). Required when the
   * service runs with CONSUME_APP_CHECK_TOKEN=true (replay protection). Default false.
   */
  limitedUseAppCheckTokens?: boolean;
  /** Give up after this many milliseconds (code `deadline-exceeded`). Default: the SDK's 70 s. */
  timeoutMillis?: number;
}

/**
 * A name a deployed callable can have: a letter, then letters, digits, `-` or `_`, 63 at most
 * (the Cloud Functions rule). Anything else is refused before the SDK builds a URL from it.
 */
export function isFunctionName(name: unknown): name is string {
  return typeof name === "string" && /^[A-Za-z][\w-]{0,62}$/.test(name);
}

export function functionNameProblem(name: unknown): string {
  return `functionName must be a callable's name such as ${FUNCTION_NAME} or kit-<instance>-${FUNCTION_NAME}, got ${JSON.stringify(name)}`;
}

/**
 * Calls the `getFleetEngineToken` callable once, with no caching. Use
 * {@link createAuthTokenFetcher} for the Maps JavaScript libraries.
 *
 * `functions` must be for the callable's region: `getFunctions(app, "us-central1")`, and
 * `options.functionName` its name when it is not `getFleetEngineToken` (a function kit instance).
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
  const name = options.functionName ?? FUNCTION_NAME;
  if (!isFunctionName(name)) {
    throw new FleetEngineTokenError("invalid-argument", functionNameProblem(name));
  }
  const callable = httpsCallable<FleetEngineTokenRequest<T>, unknown>(functions, name, {
    limitedUseAppCheckTokens: options.limitedUseAppCheckTokens ?? false,
    ...(options.timeoutMillis === undefined ? {} : { timeout: options.timeoutMillis }),
  });
  let data: unknown;
  try {
    ({ data } = await callable(request));
  } catch (error) {
    throw toFleetEngineTokenError(error);
  }
  return parseTokenResponse(data, request);
}
