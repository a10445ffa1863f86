import type { LogDetails } from "./errors.js";
import type { TokenType } from "./token-types.js";

/**
 * One function per log event. Every decision of the callable writes exactly one entry, and no
 * entry ever carries a JWT, an ID token or a key: only identifiers and reasons. As a last line
 * of defence every string is passed through `redact`.
 */

/** Where entries go: firebase-functions/logger in production, an array in tests. */
export interface LogSink {
  info(message: string, payload: Record<string, unknown>): void;
  warn(message: string, payload: Record<string, unknown>): void;
  error(message: string, payload: Record<string, unknown>): void;
}

export interface IssuedEvent {
  uid: string;
  type: TokenType;
  resourceId: string | undefined;
  /** The task the token names, beside or instead of the resource. */
  taskId?: string | undefined;
  account: string;
  exp: number;
  /** Whether the token came from the per-instance cache rather than a new signature. */
  cached: boolean;
}

export interface DeniedEvent {
  uid: string | undefined;
  type: string | undefined;
  resourceId: string | undefined;
  /** The task the request named, if any. */
  taskId?: string | undefined;
  /** The stable error code (unauthenticated, invalid-request, not-entitled). */
  code: string;
  reason: string;
  details: LogDetails;
}

export interface FailedEvent extends DeniedEvent {
  /** What went wrong below us, already sanitized by the component that saw it. */
  message: string;
}

export interface Logs {
  issued(event: IssuedEvent): void;
  denied(event: DeniedEvent): void;
  failed(event: FailedEvent): void;
}

const JWT_SHAPE = /eyJ[\w-]*\.eyJ[\w-]*\.?[\w-]*/g;
const PEM_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;
const BEARER = /Bearer\s+[\w.~+/=-]+/gi;

/** Removes anything shaped like a JWT, a private key or a bearer credential. */
export function redact(text: string): string {
  return text
    .replace(JWT_SHAPE, "[redacted-jwt]")
    .replace(PEM_KEY, "[redacted-key]")
    .replace(BEARER, "Bearer [redacted]");
}

function clean(payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined) continue;
    out[key] = typeof value === "string" ? redact(value) : value;
  }
  return out;
}

export function createLogs(sink: LogSink): Logs {
  return {
    issued(event) {
      sink.info(
        "fleet engine token issued",
        clean({
          event: "fleet-engine-token",
          outcome: "issued",
          uid: event.uid,
          type: event.type,
          resourceId: event.resourceId,
          taskId: event.taskId,
          account: event.account,
          exp: event.exp,
          cached: event.cached,
        }),
      );
    },
    denied(event) {
      sink.info(
        "fleet engine token denied",
        clean({
          ...event.details,
          event: "fleet-engine-token",
          outcome: "denied",
          code: event.code,
          reason: event.reason,
          uid: event.uid,
          type: event.type,
          resourceId: event.resourceId,
          taskId: event.taskId,
        }),
      );
    },
    failed(event) {
      const entry: [string, Record<string, unknown>] = [
        "fleet engine token failed",
        clean({
          ...event.details,
          event: "fleet-engine-token",
          outcome: "failed",
          code: event.code,
          reason: event.reason,
          uid: event.uid,
          type: event.type,
          resourceId: event.resourceId,
          taskId: event.taskId,
          error: event.message,
        }),
      ];
      // Transient trouble is a warning; a misconfiguration or a bug is an error.
      if (event.code === "backend-unavailable") sink.warn(...entry);
      else sink.error(...entry);
    },
  };
}

/** Once per instance: token types with different roles signed by one account. */
export function logSharedSigner(
  sink: LogSink,
  event: { types: readonly string[]; account: string; roles: readonly string[] },
): void {
  sink.warn(
    `token types ${event.types.join(", ")} are all signed by ${event.account}`,
    clean({
      event: "fleet-engine-shared-signer",
      types: event.types.join(","),
      account: event.account,
      roles: event.roles.join(","),
      why:
        "Fleet Engine grants a token every role of the account that signed it, so each of these " +
        "tokens carries all of these roles (a rider's token could act as a driver). Give each " +
        "type its own signing account: npm run setup:iam -- --project P --apply.",
    }),
  );
}

/** Once per instance in the emulator: the per-type signer params are not used there. */
export function logDevKeySigning(sink: LogSink, event: { ignoredParams: readonly string[] }): void {
  sink.info(
    "the Functions emulator signs every token type with the local dev key",
    clean({
      event: "fleet-engine-dev-key",
      ignoredParams: event.ignoredParams.join(","),
      why: "signer account params apply only to a deployed function, which signs through IAM",
    }),
  );
}

/**
 * Once per instance outside the emulator: an emulator-only setting (FIRESTORE_EMULATOR_HOST) in
 * the function's environment, most likely a line of a deployed env file. It is ignored.
 */
export function logIgnoredEmulatorSetting(
  sink: LogSink,
  event: { variable: string; value: string },
): void {
  sink.warn(
    `${event.variable} is set outside the Functions emulator and is ignored`,
    clean({
      event: "fleet-engine-emulator-setting-ignored",
      variable: event.variable,
      value: event.value.slice(0, 200),
      why:
        "emulator settings take effect only in the Functions emulator: honoured here, it would " +
        "send the emulator's owner credential over plain HTTP to that host and trust its answer. " +
        "Remove the line from the deployed env files (npm run doctor names the file).",
    }),
  );
}
