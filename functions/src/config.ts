import {
  defineBoolean,
  defineInt,
  defineString,
  type IntParam,
  type StringParam,
} from "firebase-functions/params";
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
  DRIVERS_COLLECTION: "drivers",
  TRIPS_COLLECTION: "trips",
  SHIPMENTS_COLLECTION: "shipments",
} as const;

export const tokenTtlSeconds = defineInt("TOKEN_TTL_SECONDS", {
  default: DEFAULTS.TOKEN_TTL_SECONDS,
  description: `Lifetime of issued tokens in seconds, ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS}.`,
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

/**
 * App Check. These two are callable options, resolved by firebase-functions when the function is
 * loaded (not per call); the CLI writes their values from functions/.env at deploy.
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

/**
 * The function's runtime service account (the callable's `serviceAccount` option), resolved by
 * the CLI at deploy like the App Check options. Empty: the platform default, the project's
 * Compute Engine default service account. `npm run setup:iam` writes a dedicated one.
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

export interface Collections {
  readonly drivers: string;
  readonly trips: string;
  readonly shipments: string;
}

export interface Config {
  readonly ttlSeconds: number;
  readonly collections: Collections;
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

function collection(param: StringParam, fallback: string): string {
  const value = readString(param, fallback);
  if (!COLLECTION_ID.test(value)) throw misconfigured(param.name, "must be a collection ID");
  return value;
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
  const signerAccounts = {} as Record<TokenType, string | undefined>;
  for (const type of TOKEN_TYPES) {
    const param = signerAccountParams[type];
    const account = readString(param, "");
    if (account !== "" && !SERVICE_ACCOUNT_EMAIL.test(account)) {
      throw misconfigured(param.name, "must be a service account email or empty");
    }
    signerAccounts[type] = account === "" ? undefined : account;
  }
  return Object.freeze({
    ttlSeconds,
    collections: Object.freeze({
      drivers: collection(driversCollection, DEFAULTS.DRIVERS_COLLECTION),
      trips: collection(tripsCollection, DEFAULTS.TRIPS_COLLECTION),
      shipments: collection(shipmentsCollection, DEFAULTS.SHIPMENTS_COLLECTION),
    }),
    signerAccounts: Object.freeze(signerAccounts),
  });
}
