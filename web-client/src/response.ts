import { FleetEngineTokenError } from "./errors.js";
import {
  authorizationKeysFor,
  type FleetEngineTokenRequest,
  type FleetEngineTokenResponse,
  type TokenType,
} from "./token-types.js";

/**
 * Fleet Engine refuses tokens that expire more than an hour ahead, so a larger
 * `expiresInSeconds` can only be a unit mistake (milliseconds, as in Google's own samples).
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 3600;

function invalid(message: string): FleetEngineTokenError {
  return new FleetEngineTokenError("invalid-response", `getFleetEngineToken answered ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks the callable's answer before anyone relies on it: a token, the type asked for, the
 * claim keys of that request (a task's `taskid` only when it named a task), and an expiry in
 * seconds within Fleet Engine's one-hour limit.
 */
export function parseTokenResponse<T extends TokenType>(
  data: unknown,
  request: FleetEngineTokenRequest<T>,
): FleetEngineTokenResponse<T> {
  const type = request.type as T;
  if (!isRecord(data)) throw invalid("something that is not an object");
  const { token, authorization, expiresInSeconds, expiresAtMillis } = data;
  if (typeof token !== "string" || token.split(".").length !== 3) {
    throw invalid("without a JWT in `token`");
  }
  if (data.type !== type) throw invalid(`type ${String(data.type)} for a ${type} request`);
  if (
    typeof expiresInSeconds !== "number" ||
    !Number.isFinite(expiresInSeconds) ||
    expiresInSeconds < 0 ||
    expiresInSeconds > MAX_TOKEN_LIFETIME_SECONDS
  ) {
    throw invalid(
      `expiresInSeconds ${String(expiresInSeconds)}: expected seconds, 0 to ${MAX_TOKEN_LIFETIME_SECONDS}`,
    );
  }
  if (typeof expiresAtMillis !== "number" || !Number.isFinite(expiresAtMillis)) {
    throw invalid("without a number in expiresAtMillis");
  }
  const expectedKeys = [...authorizationKeysFor(request)].sort();
  if (
    !isRecord(authorization) ||
    Object.keys(authorization).sort().join() !== expectedKeys.join() ||
    !Object.values(authorization).every((value) => typeof value === "string" && value !== "")
  ) {
    throw invalid(`an authorization claim that is not { ${expectedKeys.join(", ")} }`);
  }
  return {
    token,
    type,
    authorization: authorization as FleetEngineTokenResponse<T>["authorization"],
    expiresInSeconds,
    expiresAtMillis,
  };
}
