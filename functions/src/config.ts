import {
  defineBoolean,
  defineInt,
  defineString,
  type IntParam,
  type StringParam,
} from "firebase-functions/params";
import { fieldPathProblem, parseFieldPath, type FieldPath } from "./entitlement/field-path.js";
import { ErrorCode, TokenServiceError } from "./errors.js";
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS } from "./token/claims.js";
import { TOKEN_TYPES, TOKEN_TYPE_SPECS, type TokenType } from "./token-types.js";

/**
 * Configuration is only firebase-functions params (functions/.env, .env.<project>, .env.local).
 * Params are declared here at module load (cheap: no I/O) and read with `.value()` on the first
 * call, then validated into one frozen Config. Every param has a value in functions/.env so the
 * CLI never prompts; the defaults below also apply where no CLI sets the environment (unit tests).
 */

export const DEFAULTS = {
  TOKEN_TTL_SECONDS: 3600,
  TOKEN_CACHE_MAX_ENTRIES: 10_000,
  TOKEN_CACHE_MIN_REMAINING_PERCENT: 50,
  DRIVERS_COLLECTION: "drivers",
  TRIPS_COLLECTION: "trips",
  SHIPMENTS_COLLECTION: "shipments",
  REGION: "us-central1",
  ENABLED_TOKEN_TYPES: TOKEN_TYPES.join(","),
} as const;

/**
 * Where each fact lives inside its document: a Firestore field path (dots for nested fields).
 * The defaults are the field names of the README's data model.
 */
export const FIELD_PARAMS = {
  driverVehicle: {
    name: "DRIVER_VEHICLE_FIELD",
    default: "vehicleId",
    holds: "the driver's vehicle ID (in the drivers collection)",
  },
  driverDeliveryVehicle: {
    name: "DRIVER_DELIVERY_VEHICLE_FIELD",
    default: "deliveryVehicleId",
    holds: "the driver's delivery vehicle ID (in the drivers collection)",
  },
  driverActive: {
    name: "DRIVER_ACTIVE_FIELD",
    default: "active",
    holds: "false cuts the driver off; absent = active (in the drivers collection)",
  },
  tripConsumers: {
    name: "TRIP_CONSUMERS_FIELD",
    default: "consumerUids",
    holds: "who may follow the trip: an array of uids or one uid (in the trips collection)",
  },
  tripStatus: {
    name: "TRIP_STATUS_FIELD",
    default: "status",
    holds: "the Fleet Engine trip status (in the trips collection)",
  },
  shipmentConsumers: {
    name: "SHIPMENT_CONSUMERS_FIELD",
    default: "consumerUids",
    holds: "who may follow the shipment: an array of uids or one uid (in the shipments collection)",
  },
} as const;

export type FieldName = keyof typeof FIELD_PARAMS;
export const FIELD_NAMES = Object.keys(FIELD_PARAMS) as FieldName[];
export type FieldPaths = Readonly<Record<FieldName, FieldPath>>;

/** The field paths of the default data model. */
export const DEFAULT_FIELD_PATHS: FieldPaths = Object.freeze(
  Object.fromEntries(
    FIELD_NAMES.map((field) => [field, parseFieldPath(FIELD_PARAMS[field].default)]),
  ) as Record<FieldName, FieldPath>,
);

export const tokenTtlSeconds = defineInt("TOKEN_TTL_SECONDS", {
  default: DEFAULTS.TOKEN_TTL_SECONDS,
  description: `Lifetime of issued tokens in seconds, ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS}.`,
});

export const tokenCacheMaxEntries = defineInt("TOKEN_CACHE_MAX_ENTRIES", {
  default: DEFAULTS.TOKEN_CACHE_MAX_ENTRIES,
  description:
    "Signed tokens kept per instance for reuse (least recently used go first); 0 = none.",
});

export const tokenCacheMinRemainingPercent = defineInt("TOKEN_CACHE_MIN_REMAINING_PERCENT", {
  default: DEFAULTS.TOKEN_CACHE_MIN_REMAINING_PERCENT,
  description:
    "A cached token is reused only while at least this percentage of its lifetime remains.",
});

export const driversCollection = defineString("DRIVERS_COLLECTION", {
  default: DEFAULTS.DRIVERS_COLLECTION,
  description: "Collection of driver documents, keyed by Firebase Auth uid.",
});

export const tripsCollection = defineString("TRIPS_COLLECTION", {
  default: DEFAULTS.TRIPS_COLLECTION,
  description: "Collection of trip documents, keyed by Fleet Engine trip ID.",
});

export const shipmentsCollection = defineString("SHIPMENTS_COLLECTION", {
  default: DEFAULTS.SHIPMENTS_COLLECTION,
  description: "Collection of shipment documents, keyed by Fleet Engine tracking ID.",
});

export const fieldPathParams: Readonly<Record<FieldName, StringParam>> = Object.fromEntries(
  FIELD_NAMES.map((field) => [
    field,
    defineString(FIELD_PARAMS[field].name, {
      default: FIELD_PARAMS[field].default,
      description: `Firestore field path (dots for nested fields) of ${FIELD_PARAMS[field].holds}.`,
    }),
  ]),
) as Record<FieldName, StringParam>;

/**
 * The region of the callable. Passed to onCall as the param itself, never read from process.env
 * at load: the Functions emulator builds the function's manifest without the env files' values,
 * so only a param resolved by the CLI reaches both the emulator and a deploy. One region: the
 * callable's region option takes one Expression<string>, not a list.
 */
export const region = defineString("REGION", {
  default: DEFAULTS.REGION,
  description: "Region the callable is deployed in (one region, e.g. europe-west1).",
});

/** The token types this deployment serves; every other type is refused before any read. */
export const enabledTokenTypes = defineString("ENABLED_TOKEN_TYPES", {
  default: DEFAULTS.ENABLED_TOKEN_TYPES,
  description: `Comma-separated token types to serve, from: ${TOKEN_TYPES.join(", ")}.`,
});

/**
 * App Check and CORS are options of the callable itself, so they are read when the function is
 * loaded (see callableSettings below); the CLI puts their values in the environment from
 * functions/.env, at deploy and in the emulator.
 */
export const enforceAppCheck = defineBoolean("ENFORCE_APP_CHECK", {
  default: true,
  description:
    "Refuse calls without a valid App Check token. Turn off only until your apps use App Check.",
});

export const consumeAppCheckToken = defineBoolean("CONSUME_APP_CHECK_TOKEN", {
  default: false,
  description:
    "Replay protection: consume each App Check token (clients must send limited-use tokens).",
});

export const corsOrigins = defineString("CORS_ORIGINS", {
  default: "*",
  description:
    "Comma-separated origins (https://app.example.com) allowed to call from a browser; * = any.",
});

export const checkRevokedTokens = defineBoolean("CHECK_REVOKED_TOKENS", {
  default: true,
  description:
    "Refuse ID tokens of revoked sessions and disabled accounts (one Auth lookup per call).",
});

/** Deploy-time option (the CLI resolves it into the function's manifest). */
export const maxInstances = defineInt("MAX_INSTANCES", {
  default: 10,
  description: "Ceiling on concurrent instances, for cost control.",
});

/**
 * Instances kept warm even without traffic (deploy-time, like MAX_INSTANCES). Each one is billed
 * while idle, at a lower rate than a busy instance; in exchange a call that lands on it skips the
 * first call of a fresh instance (docs/performance.md says when a fleet should pay for that).
 */
export const minInstances = defineInt("MIN_INSTANCES", {
  default: 0,
  description:
    "Instances kept warm without traffic (billed while idle); 0 = scale to zero between bursts.",
});

/**
 * Requests one instance serves at once (deploy-time). A call mostly waits on the network (Auth,
 * Firestore, IAM), so one instance carries many; more than 1 needs a whole CPU (see callable.ts).
 */
export const concurrency = defineInt("CONCURRENCY", {
  default: 80,
  description: "Requests one instance serves at once, 1 to 1000 (more than 1 needs one full CPU).",
});

/**
 * The function's runtime service account (the callable's `serviceAccount` option), resolved by
 * the CLI into the function's manifest at deploy, like MAX_INSTANCES. Empty: the platform
 * default, the project's Compute Engine default service account. `npm run setup:iam` writes a
 * dedicated one.
 */
export const runtimeServiceAccount = defineString("RUNTIME_SERVICE_ACCOUNT", {
  default: "",
  description:
    "Service account the function runs as (needs Token Creator on each signing account). " +
    "Empty: the Compute Engine default service account.",
});

/** One param per token type: the service account that signs it; empty = the runtime account. */
export const signerAccountParams: Readonly<Record<TokenType, StringParam>> = Object.fromEntries(
  TOKEN_TYPES.map((type) => [
    type,
    defineString(TOKEN_TYPE_SPECS[type].signerParam, {
      default: "",
      description:
        `Service account that signs ${type} tokens (needs ${TOKEN_TYPE_SPECS[type].fleetEngineRole}). ` +
        "Empty: the function's runtime service account.",
    }),
  ]),
) as Record<TokenType, StringParam>;

/** Every param of the function, for tools that read or check them all (npm run doctor). */
export const ALL_PARAMS: readonly { readonly name: string }[] = [
  tokenTtlSeconds,
  tokenCacheMaxEntries,
  tokenCacheMinRemainingPercent,
  driversCollection,
  tripsCollection,
  shipmentsCollection,
  ...FIELD_NAMES.map((field) => fieldPathParams[field]),
  region,
  enabledTokenTypes,
  enforceAppCheck,
  consumeAppCheckToken,
  corsOrigins,
  checkRevokedTokens,
  maxInstances,
  minInstances,
  concurrency,
  runtimeServiceAccount,
  ...TOKEN_TYPES.map((type) => signerAccountParams[type]),
];

export interface Collections {
  readonly drivers: string;
  readonly trips: string;
  readonly shipments: string;
}

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
  /** The callable's region (REGION); the CLI deploys there, this copy is for logs and tools. */
  readonly region: string;
  /** The signing account per type; undefined means the function's runtime service account. */
  readonly signerAccounts: Readonly<Record<TokenType, string | undefined>>;
}

const SERVICE_ACCOUNT_EMAIL = /^[a-z0-9][a-z0-9-]{4,61}[a-z0-9]@[a-z0-9.-]+\.gserviceaccount\.com$/;
// Firestore collection IDs: no slash, not . or .., not __reserved__, at most 1500 bytes.
const COLLECTION_ID = /^(?!\.\.?$)(?!__.*__$)[^/]{1,1500}$/;

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

const ORIGIN = /^https?:\/\/[^/\s,]+$/;

/** `*` (or nothing) allows any origin, like a callable's default; otherwise exact origins. */
function parseCorsOrigins(raw: string | undefined): true | string[] | undefined {
  const value = raw?.trim() ?? "*";
  if (value === "*" || value === "") return true;
  const origins = value.split(",").map((origin) => origin.trim().replace(/\/$/, ""));
  return origins.every((origin) => ORIGIN.test(origin)) ? origins : undefined;
}

/** Options of the callable itself, fixed when the function loads. */
export interface CallableSettings {
  readonly enforceAppCheck: boolean;
  readonly consumeAppCheckToken: boolean;
  readonly cors: boolean | string[];
}

/**
 * Reads the load-time options straight from the environment (calling `.value()` during the CLI's
 * deploy-time load only makes firebase-functions warn). Never throws, and fails closed: App Check
 * stays on unless the param is exactly "false", and unreadable CORS origins allow no browser
 * origin. loadConfig() reports such values on every call, naming the param.
 */
export function callableSettings(env: NodeJS.ProcessEnv = process.env): CallableSettings {
  return {
    enforceAppCheck: env[enforceAppCheck.name]?.trim() !== "false",
    consumeAppCheckToken: env[consumeAppCheckToken.name]?.trim() === "true",
    cors: parseCorsOrigins(env[corsOrigins.name]) ?? false,
  };
}

function collection(param: StringParam, fallback: string): string {
  const value = readString(param, fallback);
  if (!COLLECTION_ID.test(value)) throw misconfigured(param.name, "must be a collection ID");
  return value;
}

function fieldPath(param: StringParam, fallback: string): FieldPath {
  const value = readString(param, fallback);
  const problem = fieldPathProblem(value);
  if (problem !== undefined) throw misconfigured(param.name, `${problem}`);
  return parseFieldPath(value);
}

// Cloud Functions regions: europe-west1, us-central1, asia-northeast1, me-central2, ...
const REGION_NAME = /^[a-z]+(-[a-z]+)+[0-9]+$/;

/** Why `raw` is not one region name, or undefined. */
export function regionProblem(raw: string): string | undefined {
  if (raw.includes(",")) return "must name one region (a callable is deployed to one region here)";
  return REGION_NAME.test(raw) ? undefined : "must be a region name such as europe-west1";
}

/** The types listed in `raw` (comma-separated), in TOKEN_TYPES order, or the problem. */
export function parseEnabledTokenTypes(raw: string): readonly TokenType[] | string {
  const names = raw
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.length === 0) return `must list at least one of ${TOKEN_TYPES.join(", ")}`;
  const unknown = names.filter((name) => !(TOKEN_TYPES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    return `lists unknown token types ${unknown.join(", ")} (known: ${TOKEN_TYPES.join(", ")})`;
  }
  return TOKEN_TYPES.filter((type) => names.includes(type));
}

/** Reads and validates every param; throws a misconfigured TokenServiceError naming the param. */
export function loadConfig(): Config {
  const ttlSeconds = readInt(tokenTtlSeconds, DEFAULTS.TOKEN_TTL_SECONDS);
  if (ttlSeconds < MIN_TTL_SECONDS || ttlSeconds > MAX_TTL_SECONDS) {
    throw misconfigured(
      tokenTtlSeconds.name,
      `must be between ${MIN_TTL_SECONDS} and ${MAX_TTL_SECONDS}`,
    );
  }
  const maxEntries = readInt(tokenCacheMaxEntries, DEFAULTS.TOKEN_CACHE_MAX_ENTRIES);
  if (maxEntries > 1_000_000)
    throw misconfigured(tokenCacheMaxEntries.name, "must be at most 1000000");
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
  const regionName = readString(region, DEFAULTS.REGION);
  const badRegion = regionProblem(regionName);
  if (badRegion !== undefined) throw misconfigured(region.name, badRegion);
  const enabled = parseEnabledTokenTypes(
    readString(enabledTokenTypes, DEFAULTS.ENABLED_TOKEN_TYPES),
  );
  if (typeof enabled === "string") throw misconfigured(enabledTokenTypes.name, enabled);
  const fields = Object.fromEntries(
    FIELD_NAMES.map((field) => [
      field,
      fieldPath(fieldPathParams[field], FIELD_PARAMS[field].default),
    ]),
  ) as Record<FieldName, FieldPath>;
  return Object.freeze({
    ttlSeconds,
    region: regionName,
    enabledTypes: Object.freeze([...enabled]),
    fields: Object.freeze(fields),
    checkRevokedTokens: readBoolean(checkRevokedTokens, true),
    cache: Object.freeze({ maxEntries, minRemainingFraction: minRemainingPercent / 100 }),
    collections: Object.freeze({
      drivers: collection(driversCollection, DEFAULTS.DRIVERS_COLLECTION),
      trips: collection(tripsCollection, DEFAULTS.TRIPS_COLLECTION),
      shipments: collection(shipmentsCollection, DEFAULTS.SHIPMENTS_COLLECTION),
    }),
    signerAccounts: Object.freeze(signerAccounts),
  });
}
