/**
 * Google API errors as the doctor needs them: the HTTP status, the RPC status, Google's message
 * and the ErrorInfo reasons (SERVICE_DISABLED, IAM_PERMISSION_DENIED, ...).
 */
export interface GoogleError {
  /** The HTTP status, or undefined when no answer came (network error, timeout). */
  readonly httpStatus?: number;
  readonly status?: string;
  readonly message: string;
  readonly reasons: readonly string[];
}

interface ErrorBody {
  error?: { status?: unknown; message?: unknown; details?: unknown };
}

/** Reads a `{ error: { code, status, message, details } }` body. */
export function googleErrorFromBody(httpStatus: number, body: unknown): GoogleError {
  const error =
    (typeof body === "object" && body !== null ? (body as ErrorBody).error : undefined) ?? {};
  const details = Array.isArray(error.details) ? (error.details as unknown[]) : [];
  const reasons = details.flatMap((detail) => {
    const reason = (detail as { reason?: unknown } | null)?.reason;
    return typeof reason === "string" ? [reason] : [];
  });
  return {
    httpStatus,
    ...(typeof error.status === "string" ? { status: error.status } : {}),
    message: typeof error.message === "string" ? error.message.slice(0, 400) : `HTTP ${httpStatus}`,
    reasons,
  };
}

/** From a gaxios (google-auth-library) error or any other throw. */
export function googleErrorFrom(thrown: unknown): GoogleError {
  const response = (thrown as { response?: { status?: unknown; data?: unknown } }).response;
  if (typeof response?.status === "number")
    return googleErrorFromBody(response.status, response.data);
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { message: message.slice(0, 400), reasons: [] };
}

/** Google's answer when the API is not enabled in the project (or the quota project). */
export function isServiceDisabled(error: GoogleError): boolean {
  return (
    error.reasons.includes("SERVICE_DISABLED") ||
    /has not been used in project|it is disabled/i.test(error.message)
  );
}

export function describe(error: GoogleError): string {
  const status = error.httpStatus === undefined ? "no answer" : `HTTP ${error.httpStatus}`;
  return `${status}${error.status === undefined ? "" : ` ${error.status}`}: ${error.message}`;
}
