import * as z from "zod";
import { ErrorCode, TokenServiceError } from "./errors.js";
import {
  RESOURCE_FIELDS,
  TASK_FIELD,
  TOKEN_TYPES,
  TOKEN_TYPE_SPECS,
  isTokenType,
  type ResourceField,
  type TokenType,
} from "./token-types.js";

/** Fleet Engine's resource ID rules, plus `*` (a wildcard is never a client's to ask for). */
export const MAX_ID_LENGTH = 64;
// Fleet Engine forbids / : ? , # in IDs; `*` would be a wildcard; control characters are never
// legitimate and only make logs and error messages harder to read.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_ID_CHARACTERS = /[/:?,#*\u0000-\u001f\u007f]/;

/** Why `value` is not a valid Fleet Engine ID, or undefined when it is one. */
export function fleetEngineIdProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return "must be a string";
  if (value.length === 0) return "must not be empty";
  if (!value.isWellFormed()) return "must be valid Unicode";
  if ([...value].length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`;
  if (FORBIDDEN_ID_CHARACTERS.test(value))
    return "must not contain / : ? , # * or control characters";
  if (value.normalize("NFC") !== value) return "must be in Unicode normalization form C";
  return undefined;
}

export function isFleetEngineId(value: unknown): value is string {
  return fleetEngineIdProblem(value) === undefined;
}

const fleetEngineId = z.string().superRefine((value, ctx) => {
  const problem = fleetEngineIdProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * A validated request: the type and, where the type has them, the resource ID and the task ID
 * the caller named.
 */
export interface TokenRequest {
  readonly type: TokenType;
  /** The ID from the request's resource field, if the type has one and the caller sent it. */
  readonly resourceId?: string;
  /** The ID from the request's `taskId`, if the type takes one and the caller sent it. */
  readonly taskId?: string;
}

function schemaFor(type: TokenType): z.ZodType<Record<string, unknown>> {
  const spec = TOKEN_TYPE_SPECS[type];
  const shape: Record<string, z.ZodType> = { type: z.literal(type) };
  if (spec.resource) {
    // A resource that a task may replace is checked for presence below, with the task.
    shape[spec.resource.field] =
      spec.resource.presence === "required" && spec.task !== "instead"
        ? fleetEngineId
        : fleetEngineId.optional();
  }
  if (spec.task !== undefined) shape[TASK_FIELD] = fleetEngineId.optional();
  return z.strictObject(shape);
}

const SCHEMAS: Readonly<Record<TokenType, z.ZodType<Record<string, unknown>>>> = Object.fromEntries(
  TOKEN_TYPES.map((type) => [type, schemaFor(type)]),
) as Record<TokenType, z.ZodType<Record<string, unknown>>>;

function invalid(field: string, problem: string): TokenServiceError {
  const message = `${field} ${problem}`;
  return new TokenServiceError(ErrorCode.InvalidRequest, message, { clientMessage: message });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  // A JSON body with "__proto__" gives request.data another prototype; refuse it rather than
  // letting inherited properties slip past the schema.
  return proto === Object.prototype || proto === null;
}

function describeIssue(type: TokenType, issue: z.core.$ZodIssue): TokenServiceError {
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    return (RESOURCE_FIELDS as readonly string[]).includes(key)
      ? invalid(key, `is not allowed for type ${type}`)
      : invalid(key, "is not a known field");
  }
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "data";
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return invalid(field, `is required for type ${type}`);
  }
  if (issue.code === "invalid_type") return invalid(field, `must be a ${issue.expected}`);
  return invalid(field, issue.message);
}

/**
 * Validates `request.data`. Throws an invalid-request TokenServiceError whose message names the
 * first offending field.
 */
export function parseTokenRequest(data: unknown): TokenRequest {
  if (!isPlainObject(data)) throw invalid("data", "must be an object");
  const type = Object.hasOwn(data, "type") ? data.type : undefined;
  if (type === undefined) throw invalid("type", "is required");
  if (!isTokenType(type)) throw invalid("type", `must be one of ${TOKEN_TYPES.join(", ")}`);

  const result = SCHEMAS[type].safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw issue ? describeIssue(type, issue) : invalid("data", "is invalid");
  }
  const spec = TOKEN_TYPE_SPECS[type];
  const field: ResourceField | undefined = spec.resource?.field;
  const resourceId = field === undefined ? undefined : result.data[field];
  const taskId = spec.task === undefined ? undefined : result.data[TASK_FIELD];
  if (spec.task === "instead" && field !== undefined) {
    // Exactly one of the two: a token names one thing to follow.
    if (resourceId === undefined && taskId === undefined) {
      throw invalid(field, `or ${TASK_FIELD} is required for type ${type}`);
    }
    if (resourceId !== undefined && taskId !== undefined) {
      throw invalid(TASK_FIELD, `is not allowed together with ${field} (name one of them)`);
    }
  }
  return {
    type,
    ...(typeof resourceId === "string" ? { resourceId } : {}),
    ...(typeof taskId === "string" ? { taskId } : {}),
  };
}
