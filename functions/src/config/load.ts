import type { IntParam, StringParam } from "firebase-functions/params";
import { fieldPathProblem, parseFieldPath, type FieldPath } from "../entitlement/field-path.js";
import { ErrorCode, TokenServiceError } from "../errors.js";
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS } from "../token/claims.js";
import { TOKEN_TYPES, type TokenType } from "../token-types.js";
import { parseCorsOrigins } from "./callable-settings.js";
import {
  COLLECTION_NAMES,
  COLLECTION_PARAMS,
  FIELD_NAMES,
  FIELD_PARAMS,
  collectionIdProblem,
  type CollectionName,
  type Collections,
  type FieldName,
  type FieldPaths,
} from "./data-model.js";
import {
  DEFAULTS,
  FUNCTION_MEMORY_MIB,
  MAX_TOKEN_CACHE_ENTRIES,
  checkRevokedTokens,
  collectionParams,
  consumeAppCheckToken,
  corsOrigins,
  enabledTokenTypes,
  enforceAppCheck,
  fieldPathParams,
  signerAccountParams,
  tokenCacheMaxEntries,
  tokenCacheMinRemainingPercent,
  tokenTtlSeconds,
} from "./params.js";
import { DEFAULT_REGION, REGION_PARAM_NAMES, type InstallKind } from "./region.js";
import { SERVICE_ACCOUNT_EMAIL } from "./runtime-account.js";

/**
 * The validation of every param into one frozen Config. loadConfig() is the one entry point: the
 * function calls it on its first call, doctor and the tests call the same code.
 */

export interface Config {
  readonly ttlSeconds: number;
  readonly cache: {
    /** 0 disables reuse (concurrent identical requests still share one signature). */
    readonly maxEntries: number;
    /** Fraction of a token's lifetime that must remain for it to be reused, 0.01 to 1. */
    readonly minRemainingFraction: number;
  };
  /** Check each caller's ID token for revocation and a disabled account. */
  readonly checkRevokedTokens: boolean;
  readonly collections: Collections;
  /** Where each fact lives in its document (the *_FIELD params). */
  readonly fields: FieldPaths;
  /** The types served (ENABLED_TOKEN_TYPES), in TOKEN_TYPES order. */
  readonly enabledTypes: readonly TokenType[];
  /**
   * The callable's region (REGION, or FUNCTION_DEFAULT_REGION in a kit instance); the CLI
   * deploys there, this copy is for logs and tools.
   */
  readonly region: string;
  /** The signing account per type; undefined means the function's runtime service account. */
  readonly signerAccounts: Readonly<Record<TokenType, string | undefined>>;
}

function misconfigured(param: string, problem: string): TokenServiceError {
  return new TokenServiceError(ErrorCode.Misconfigured, `param ${param} ${problem}`, {
    details: { reason: "invalid-param", param },
  });
}

function isSet(param: { name: string }): boolean {
  return process.env[param.name] !== undefined;
}

function readInt(param: IntParam, fallback: number): number {
  if (!isSet(param)) return fallback;
  const raw = process.env[param.name]?.trim() ?? "";
  if (!/^\d+$/.test(raw)) throw misconfigured(param.name, "must be an integer");
  return param.value();
}

function readString(param: StringParam, fallback: string): string {
  return isSet(param) ? param.value().trim() : fallback;
}

function readBoolean(param: { name: string }, fallback: boolean): boolean {
  const raw = process.env[param.name]?.trim();
  if (raw === undefined) return fallback;
  if (raw !== "true" && raw !== "false") throw misconfigured(param.name, "must be true or false");
  return raw === "true";
}

function collection(name: CollectionName): string {
  const param = collectionParams[name];
  const value = readString(param, COLLECTION_PARAMS[name].default);
  const problem = collectionIdProblem(value);
  if (problem !== undefined) throw misconfigured(param.name, problem);
  return value;
}

function fieldPath(field: FieldName): FieldPath {
  const param = fieldPathParams[field];
  const value = readString(param, FIELD_PARAMS[field].default);
  const problem = fieldPathProblem(value);
  if (problem !== undefined) throw misconfigured(param.name, problem);
  return parseFieldPath(value);
}

// Cloud Functions regions: europe-west1, us-central1, asia-northeast1, me-central2, ...
const REGION_NAME = /^[a-z]+(-[a-z]+)+[0-9]+$/;

/** Why `raw` is not one region name, or undefined. */
export function regionProblem(raw: string): string | undefined {
  if (raw.includes(",")) return "must name one region (a callable is deployed to one region here)";
  return REGION_NAME.test(raw) ? undefined : "must be a region name such as europe-west1";
}

/**
 * The entries of a list param as the CLI writes it: comma-separated in params files and in the
 * emulator, a JSON array in a deployed function's environment (firebase-tools' ParamValue reads a
 * value holding `[` as JSON, with single quotes allowed). Undefined when it is neither.
 */
export function parseListParam(raw: string): string[] | undefined {
  const value = raw.trim();
  if (!value.startsWith("[")) {
    return value
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.replace(/'/g, '"'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((entry) => typeof entry === "string")) {
    return undefined;
  }
  return parsed.map((entry) => entry.trim()).filter((entry) => entry !== "");
}

/**
 * The types listed in `raw` (comma-separated, or a JSON array), in TOKEN_TYPES order, or the
 * problem.
 */
export function parseEnabledTokenTypes(raw: string): readonly TokenType[] | string {
  const names = parseListParam(raw);
  if (names === undefined) return "must be comma-separated token types or a JSON array of them";
  if (names.length === 0) return `must list at least one of ${TOKEN_TYPES.join(", ")}`;
  const unknown = names.filter((name) => !(TOKEN_TYPES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    return `lists unknown token types ${unknown.join(", ")} (known: ${TOKEN_TYPES.join(", ")})`;
  }
  return TOKEN_TYPES.filter((type) => names.includes(type));
}

/**
 * Reads and validates every param; throws a misconfigured TokenServiceError naming the param.
 * `kind` says which param holds the region (config/region.ts).
 */
export function loadConfig(kind: InstallKind = "codebase"): Config {
  const ttlSeconds = readInt(tokenTtlSeconds, DEFAULTS.TOKEN_TTL_SECONDS);
  if (ttlSeconds < MIN_TTL_SECONDS || ttlSeconds > MAX_TTL_SECONDS) {
    throw misconfigured(
      tokenTtlSeconds.name,
      `must be between ${MIN_TTL_SECONDS} and ${MAX_TTL_SECONDS}`,
    );
  }
  const maxEntries = readInt(tokenCacheMaxEntries, DEFAULTS.TOKEN_CACHE_MAX_ENTRIES);
  if (maxEntries > MAX_TOKEN_CACHE_ENTRIES) {
    throw misconfigured(
      tokenCacheMaxEntries.name,
      `must be at most ${MAX_TOKEN_CACHE_ENTRIES} (what ${FUNCTION_MEMORY_MIB} MiB of memory holds with room to spare)`,
    );
  }
  const minRemainingPercent = readInt(
    tokenCacheMinRemainingPercent,
    DEFAULTS.TOKEN_CACHE_MIN_REMAINING_PERCENT,
  );
  if (minRemainingPercent < 1 || minRemainingPercent > 100) {
    throw misconfigured(tokenCacheMinRemainingPercent.name, "must be between 1 and 100");
  }
  readBoolean(enforceAppCheck, true);
  readBoolean(consumeAppCheckToken, false);
  if (parseCorsOrigins(process.env[corsOrigins.name]) === undefined) {
    throw misconfigured(corsOrigins.name, "must be * or comma-separated http(s) origins");
  }
  const signerAccounts = {} as Record<TokenType, string | undefined>;
  for (const type of TOKEN_TYPES) {
    const param = signerAccountParams[type];
    const account = readString(param, "");
    if (account !== "" && !SERVICE_ACCOUNT_EMAIL.test(account)) {
      throw misconfigured(param.name, "must be a service account email or empty");
    }
    signerAccounts[type] = account === "" ? undefined : account;
  }
  const regionParam = REGION_PARAM_NAMES[kind];
  const regionName = process.env[regionParam]?.trim() ?? DEFAULT_REGION;
  const badRegion = regionProblem(regionName);
  if (badRegion !== undefined) throw misconfigured(regionParam, badRegion);
  // Not .value(): a list param's value() parses JSON only, and the emulator passes the
  // comma-separated form of the params file.
  const enabled = parseEnabledTokenTypes(
    process.env[enabledTokenTypes.name] ?? DEFAULTS.ENABLED_TOKEN_TYPES,
  );
  if (typeof enabled === "string") throw misconfigured(enabledTokenTypes.name, enabled);
  const fields = Object.fromEntries(FIELD_NAMES.map((field) => [field, fieldPath(field)]));
  const collections = Object.fromEntries(COLLECTION_NAMES.map((name) => [name, collection(name)]));
  return Object.freeze({
    ttlSeconds,
    region: regionName,
    enabledTypes: Object.freeze([...enabled]),
    fields: Object.freeze(fields) as FieldPaths,
    checkRevokedTokens: readBoolean(checkRevokedTokens, true),
    cache: Object.freeze({ maxEntries, minRemainingFraction: minRemainingPercent / 100 }),
    collections: Object.freeze(collections) as Collections,
    signerAccounts: Object.freeze(signerAccounts),
  });
}
