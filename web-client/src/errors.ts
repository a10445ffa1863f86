import type { FunctionsErrorCodeCore } from "firebase/functions";

/**
 * Every failure reaches the caller as a FleetEngineTokenError with a stable `code`: the
 * callable's own code (`permission-denied`, `unauthenticated`, ...) without the SDK's
 * `functions/` prefix, or `invalid-response` when the answer is not a usable token.
 */
export type FleetEngineTokenErrorCode = FunctionsErrorCodeCore | "invalid-response";

const FUNCTIONS_CODES: ReadonlySet<string> = new Set<FunctionsErrorCodeCore>([
  "ok",
  "cancelled",
  "unknown",
  "invalid-argument",
  "deadline-exceeded",
  "not-found",
  "already-exists",
  "permission-denied",
  "resource-exhausted",
  "failed-precondition",
  "aborted",
  "out-of-range",
  "unimplemented",
  "internal",
  "unavailable",
  "data-loss",
  "unauthenticated",
]);

const FUNCTIONS_PREFIX = "functions/";

export class FleetEngineTokenError extends Error {
  readonly code: FleetEngineTokenErrorCode;
  /** The callable's `details`, if the service sent any (this one never does). */
  readonly details: unknown;

  constructor(
    code: FleetEngineTokenErrorCode,
    message: string,
    options: { cause?: unknown; details?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "FleetEngineTokenError";
    this.code = code;
    this.details = options.details;
  }
}

/** True for a FleetEngineTokenError, optionally with the given code. */
export function isFleetEngineTokenError(
  error: unknown,
  code?: FleetEngineTokenErrorCode,
): error is FleetEngineTokenError {
  return error instanceof FleetEngineTokenError && (code === undefined || error.code === code);
}

/**
 * Turns whatever `httpsCallable` threw into a FleetEngineTokenError. FunctionsError is
 * recognised by its `functions/...` code rather than by `instanceof`, which fails when an app
 * bundles two copies of the firebase SDK.
 */
export function toFleetEngineTokenError(error: unknown): FleetEngineTokenError {
  if (error instanceof FleetEngineTokenError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith(FUNCTIONS_PREFIX)) {
    const core = code.slice(FUNCTIONS_PREFIX.length);
    const message = error instanceof Error ? error.message : String(error);
    return new FleetEngineTokenError(
      FUNCTIONS_CODES.has(core) ? (core as FunctionsErrorCodeCore) : "unknown",
      message,
      { cause: error, details: (error as { details?: unknown }).details },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new FleetEngineTokenError("unknown", `Fleet Engine token request failed: ${message}`, {
    cause: error,
  });
}
