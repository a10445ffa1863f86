/**
 * Every failure of the token service is a TokenServiceError with a stable code.
 * The callable boundary (index.ts) is the only place that turns one into an HttpsError,
 * so the rest of the code never depends on firebase-functions.
 */

/** Stable error codes, one per way a request can end without a token. */
export const ErrorCode = {
  /** No signed-in Firebase user. */
  Unauthenticated: "unauthenticated",
  /** The request data is malformed; the message names the field. */
  InvalidRequest: "invalid-request",
  /** The caller may not have this token. Deliberately one code for every "not yours". */
  NotEntitled: "not-entitled",
  /** Firestore or IAM is temporarily unreachable; retrying later may succeed. */
  BackendUnavailable: "backend-unavailable",
  /** The deployment is misconfigured (params, IAM bindings); an operator must act. */
  Misconfigured: "misconfigured",
  /** Signing produced something that is not the token we asked for. */
  SigningFailed: "signing-failed",
  /** A bug: anything we did not anticipate. */
  Internal: "internal",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The callable error codes that clients see (a subset of firebase-functions' FunctionsErrorCode). */
export type ClientErrorCode =
  | "unauthenticated"
  | "invalid-argument"
  | "permission-denied"
  | "unavailable"
  | "failed-precondition"
  | "internal";

const CLIENT_CODE: Readonly<Record<ErrorCode, ClientErrorCode>> = {
  [ErrorCode.Unauthenticated]: "unauthenticated",
  [ErrorCode.InvalidRequest]: "invalid-argument",
  [ErrorCode.NotEntitled]: "permission-denied",
  [ErrorCode.BackendUnavailable]: "unavailable",
  [ErrorCode.Misconfigured]: "failed-precondition",
  [ErrorCode.SigningFailed]: "internal",
  [ErrorCode.Internal]: "internal",
};

/**
 * Client-facing messages. They are fixed strings on purpose: details (which account, which
 * permission, which document) go to the logs, never to the caller.
 */
const CLIENT_MESSAGE: Readonly<Record<ErrorCode, string>> = {
  [ErrorCode.Unauthenticated]: "Sign in to get a Fleet Engine token.",
  [ErrorCode.InvalidRequest]: "Invalid request.",
  [ErrorCode.NotEntitled]: "You are not allowed to get this Fleet Engine token.",
  [ErrorCode.BackendUnavailable]: "The token service is temporarily unavailable. Try again.",
  [ErrorCode.Misconfigured]: "The token service is not configured correctly. Contact its operator.",
  [ErrorCode.SigningFailed]: "The token could not be signed.",
  [ErrorCode.Internal]: "Internal error.",
};

/** Context for the log entry only; never sent to the caller. */
export type LogDetails = Readonly<Record<string, string | number | boolean>>;

export interface TokenServiceErrorOptions {
  cause?: unknown;
  /** Why, in words for operators: a denial reason, the account and permission IAM refused, ... */
  details?: LogDetails;
  /**
   * A message that is safe to show the caller. Only invalid-request errors use it, to name
   * the offending field; every other code keeps its fixed message.
   */
  clientMessage?: string;
}

export class TokenServiceError extends Error {
  readonly code: ErrorCode;
  readonly clientMessage: string;
  readonly details: LogDetails;

  constructor(code: ErrorCode, message: string, options: TokenServiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TokenServiceError";
    this.code = code;
    this.details = options.details ?? {};
    this.clientMessage =
      code === ErrorCode.InvalidRequest && options.clientMessage !== undefined
        ? options.clientMessage
        : CLIENT_MESSAGE[code];
  }

  /** The callable error code this failure is reported with. */
  get clientCode(): ClientErrorCode {
    return CLIENT_CODE[this.code];
  }
}

/** Wraps anything thrown into a TokenServiceError; unknown throws become `internal`. */
export function asTokenServiceError(error: unknown): TokenServiceError {
  if (error instanceof TokenServiceError) return error;
  return new TokenServiceError(ErrorCode.Internal, "unexpected error", { cause: error });
}
