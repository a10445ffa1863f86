import {
  defineBoolean,
  defineInt,
  defineString,
  type StringParam,
} from "firebase-functions/params";
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS } from "../token/claims.js";
import { TOKEN_TYPES, TOKEN_TYPE_SPECS, type TokenType } from "../token-types.js";
import {
  COLLECTION_NAMES,
  COLLECTION_PARAMS,
  FIELD_NAMES,
  FIELD_PARAMS,
  type CollectionName,
  type FieldName,
} from "./data-model.js";

/**
 * The function's params (firebase-functions params: functions/.env, .env.<project>, .env.local,
 * or a kit instance's config directory). Declared here at module load, which is cheap (no I/O),
 * with a description and, where one fits, an input type: the Firebase CLI shows both when it
 * prompts for a value. They are read with `.value()` on the first call and validated into one
 * frozen Config by loadConfig() (config/load.ts). Every param has a value in functions/.env so
 * the CLI never prompts for the cloned codebase; the defaults below also apply where no CLI sets
 * the environment (unit tests).
 */

export const DEFAULTS = {
  TOKEN_TTL_SECONDS: 3600,
  TOKEN_CACHE_MAX_ENTRIES: 10_000,
  TOKEN_CACHE_MIN_REMAINING_PERCENT: 50,
  REGION: "us-central1",
  ENABLED_TOKEN_TYPES: TOKEN_TYPES.join(","),
} as const;

export const tokenTtlSeconds = defineInt("TOKEN_TTL_SECONDS", {
  default: DEFAULTS.TOKEN_TTL_SECONDS,
  description: `Lifetime of issued tokens in seconds, ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS}.`,
});

/** The function's memory (callable.ts); the token cache's bound below is sized from it. */
export const FUNCTION_MEMORY = "256MiB";
export const FUNCTION_MEMORY_MIB = Number.parseInt(FUNCTION_MEMORY, 10);

/**
 * The most tokens an instance may keep (TOKEN_CACHE_MAX_ENTRIES), sized to the function's
 * memory with room to spare. A cached token costs at most about 1.4 KB of heap (an IAM-shaped
 * JWT of about 900 characters, its key, and their entry; measured by
 * test/unit/cache/token-cache-memory.test.ts with 64-character IDs and a long account email), so
 * a full cache holds about 20,000 x 1.4 KB = 27 MiB, a ninth of 256 MiB. A loaded instance
 * needs about 75 MB besides (RSS after the first call), which leaves over 150 MiB for the calls
 * in flight (CONCURRENCY) and the garbage collector. The former bound, 1,000,000 entries, was
 * about 1.3 GB: an instance that filled it would have been killed for running out of memory.
 * A larger bound needs a larger `memory` option with it.
 */
export const MAX_TOKEN_CACHE_ENTRIES = 20_000;
/** What a full cache of MAX_TOKEN_CACHE_ENTRIES may cost at most; the memory test checks it. */
export const TOKEN_CACHE_MEMORY_BUDGET_BYTES = 32 * 2 ** 20;

export const tokenCacheMaxEntries = defineInt("TOKEN_CACHE_MAX_ENTRIES", {
  default: DEFAULTS.TOKEN_CACHE_MAX_ENTRIES,
  description:
    `Signed tokens kept per instance for reuse (least recently used go first), 0 to ` +
    `${MAX_TOKEN_CACHE_ENTRIES}; 0 = none.`,
});

export const tokenCacheMinRemainingPercent = defineInt("TOKEN_CACHE_MIN_REMAINING_PERCENT", {
  default: DEFAULTS.TOKEN_CACHE_MIN_REMAINING_PERCENT,
  description:
    "A cached token is reused only while at least this percentage of its lifetime remains.",
});

/** One param per collection of assignment documents (config/data-model.ts). */
export const collectionParams: Readonly<Record<CollectionName, StringParam>> = Object.fromEntries(
  COLLECTION_NAMES.map((name) => [
    name,
    defineString(COLLECTION_PARAMS[name].name, {
      default: COLLECTION_PARAMS[name].default,
      description: `Firestore collection of ${COLLECTION_PARAMS[name].holds}.`,
    }),
  ]),
) as Record<CollectionName, StringParam>;

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
 * loaded (config/callable-settings.ts); the CLI puts their values in the environment from
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
  ...COLLECTION_NAMES.map((name) => collectionParams[name]),
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
