import {
  defineBoolean,
  defineInt,
  defineList,
  defineString,
  multiSelect,
  select,
  type IntParam,
  type ListParam,
  type StringParam,
} from "firebase-functions/params";
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS } from "../token/claims.js";
import {
  DEFAULT_ENABLED_TOKEN_TYPES,
  TOKEN_TYPES,
  TOKEN_TYPE_SPECS,
  type TokenType,
} from "../token-types.js";
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
 * prompts for a value (at `functions:kits:install`, or at deploy for a param without a value),
 * in the order they are declared here: what to serve, where the data is, who signs, then the
 * security and tuning knobs whose defaults suit most apps. The region comes first of all: each
 * entry point declares it before importing this module (config/region.ts). They are read with `.value()` on the first call and validated into one
 * frozen Config by loadConfig() (config/load.ts). Every param has a value in functions/.env so
 * the CLI never prompts for the cloned codebase; the defaults below also apply where no CLI sets
 * the environment (unit tests).
 */

export const DEFAULTS = {
  TOKEN_TTL_SECONDS: 3600,
  TOKEN_CACHE_MAX_ENTRIES: 10_000,
  TOKEN_CACHE_MIN_REMAINING_PERCENT: 50,
  /** Every type but the opt-in trustedDeliveryDriver (token-types.ts). */
  ENABLED_TOKEN_TYPES: DEFAULT_ENABLED_TOKEN_TYPES.join(","),
} as const;

/** Prompt input for a whole number: the CLI asks again until the answer is digits. */
function wholeNumber(example: number, meaning: string): { text: Record<string, string> } {
  return {
    text: {
      example: String(example),
      validationRegex: "^[0-9]+$",
      validationErrorMessage: `Enter ${meaning} as digits only.`,
    },
  };
}

/** Prompt input for a service account email, or nothing (the param's empty default). */
const serviceAccountInput = {
  text: {
    example: "fe-driver@my-project.iam.gserviceaccount.com",
    validationRegex: "^$|^[a-z0-9][a-z0-9-]*[a-z0-9]@[a-z0-9.-]+[.]gserviceaccount[.]com$",
    validationErrorMessage: "Enter a service account email, or nothing for the default.",
  },
};

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

/** What each token type is for, as the installer's multi-select shows it. */
const TOKEN_TYPE_LABELS: Readonly<Record<TokenType, string>> = {
  driver: "driver: Driver SDK, on-demand trips (the driver's vehicle)",
  consumer: "consumer: Consumer SDK, a rider's trip",
  deliveryDriver: "deliveryDriver: Driver SDK, scheduled tasks (the driver's delivery vehicle)",
  trustedDeliveryDriver:
    "trustedDeliveryDriver: Driver SDK on devices you own and manage, updates task outcomes (opt-in)",
  deliveryConsumer: "deliveryConsumer: shipment tracking (one tracking ID or task ID)",
  fleetReader: "fleetReader: operator dashboards, every vehicle and trip (custom claim)",
  deliveryFleetReader: "deliveryFleetReader: delivery operator dashboards (custom claim)",
};

/**
 * The token types this deployment serves; every other type is refused before any read. A list
 * param, so that the installer offers a multi-select: the params file holds the comma-separated
 * form, a deployed function's environment the JSON form (config/load.ts reads both). The
 * multi-select offers every type; the default leaves out trustedDeliveryDriver, which an app
 * enables explicitly.
 */
export const enabledTokenTypes: ListParam = defineList("ENABLED_TOKEN_TYPES", {
  default: [...DEFAULT_ENABLED_TOKEN_TYPES],
  description:
    "The token types this deployment serves; every other type is refused with " +
    "permission-denied before anything is read or signed. Serve only what your apps use. " +
    "trustedDeliveryDriver is off unless chosen: only for devices you own and manage.",
  input: multiSelect(
    Object.fromEntries(TOKEN_TYPES.map((type) => [TOKEN_TYPE_LABELS[type], type])),
  ),
});

/** One param per collection of assignment documents (config/data-model.ts). */
export const collectionParams: Readonly<Record<CollectionName, StringParam>> = Object.fromEntries(
  COLLECTION_NAMES.map((name) => [
    name,
    defineString(COLLECTION_PARAMS[name].name, {
      default: COLLECTION_PARAMS[name].default,
      description: `The Firestore collection of ${COLLECTION_PARAMS[name].holds}.`,
      input: {
        text: {
          example: COLLECTION_PARAMS[name].default,
          validationRegex: "^[^/]+$",
          validationErrorMessage: "Enter one collection ID (no slash).",
        },
      },
    }),
  ]),
) as Record<CollectionName, StringParam>;

export const fieldPathParams: Readonly<Record<FieldName, StringParam>> = Object.fromEntries(
  FIELD_NAMES.map((field) => [
    field,
    defineString(FIELD_PARAMS[field].name, {
      default: FIELD_PARAMS[field].default,
      description:
        `The Firestore field path (dots for nested fields, e.g. fleet.vehicleId) of ` +
        `${FIELD_PARAMS[field].holds}.`,
      input: {
        text: {
          example: FIELD_PARAMS[field].default,
          validationRegex: "^[^.\\s*~/\\[\\]`'\"\\\\]+([.][^.\\s*~/\\[\\]`'\"\\\\]+)*$",
          validationErrorMessage:
            "Enter field names separated by dots, without blanks, quotes, backslashes or *~/[]`.",
        },
      },
    }),
  ]),
) as Record<FieldName, StringParam>;

/**
 * The function's runtime service account (the callable's `serviceAccount` option), resolved by
 * the CLI into the function's manifest at deploy, like MAX_INSTANCES. Empty: the platform
 * default, the project's Compute Engine default service account. `setup:iam` writes a dedicated
 * one.
 */
export const runtimeServiceAccount = defineString("RUNTIME_SERVICE_ACCOUNT", {
  default: "",
  description:
    "The service account the function runs as; it needs Token Creator on each signing account. " +
    "Empty: the Compute Engine default service account. `setup-iam` creates a dedicated one.",
  input: {
    text: {
      example: "fe-token-service@my-project.iam.gserviceaccount.com",
      // An email, or name@ (the CLI completes it with the project), or nothing.
      validationRegex:
        "^$|^[a-z][a-z0-9-]{4,28}[a-z0-9]@$|^[a-z0-9][a-z0-9-]*[a-z0-9]@[a-z0-9.-]+[.]gserviceaccount[.]com$",
      validationErrorMessage:
        "Enter a service account email, name@ for an account of this project, or nothing.",
    },
  },
});

/** One param per token type: the service account that signs it; empty = the runtime account. */
export const signerAccountParams: Readonly<Record<TokenType, StringParam>> = Object.fromEntries(
  TOKEN_TYPES.map((type) => [
    type,
    defineString(TOKEN_TYPE_SPECS[type].signerParam, {
      default: "",
      description:
        `The service account that signs ${type} tokens, holding only ` +
        `${TOKEN_TYPE_SPECS[type].fleetEngineRole}. Empty: the runtime service account ` +
        "(fine for a first try; one account per type for production).",
      input: serviceAccountInput,
    }),
  ]),
) as Record<TokenType, StringParam>;

/**
 * App Check and CORS are options of the callable itself, so they are read when the function is
 * loaded (config/callable-settings.ts); the CLI puts their values in the environment from the
 * params files, at deploy and in the emulator.
 */
export const enforceAppCheck = defineBoolean("ENFORCE_APP_CHECK", {
  default: true,
  description:
    "Refuse calls without a valid App Check token. Turn off only until your apps use App Check.",
  input: select({ "Yes, enforce App Check": true, "No, not yet": false }),
});

export const consumeAppCheckToken = defineBoolean("CONSUME_APP_CHECK_TOKEN", {
  default: false,
  description:
    "Replay protection: accept each App Check token once (clients must send limited-use " +
    "tokens); costs an App Check round trip per call.",
  input: select({ No: false, "Yes, consume each App Check token": true }),
});

export const corsOrigins = defineString("CORS_ORIGINS", {
  default: "*",
  description:
    "Browser origins allowed to call, comma-separated (https://dispatch.example.com); * = any. " +
    "Mobile apps are not affected.",
  input: { text: { example: "https://dispatch.example.com,https://track.example.com" } },
});

export const checkRevokedTokens = defineBoolean("CHECK_REVOKED_TOKENS", {
  default: true,
  description:
    "One Firebase Auth lookup per call: refuse revoked sessions and disabled accounts, and " +
    "decide the operator types on the caller's current custom claims.",
  input: select({ "Yes, check every call": true, "No (claims from the ID token)": false }),
});

export const tokenTtlSeconds: IntParam = defineInt("TOKEN_TTL_SECONDS", {
  default: DEFAULTS.TOKEN_TTL_SECONDS,
  description: `The lifetime of issued tokens in seconds, ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS}.`,
  input: wholeNumber(DEFAULTS.TOKEN_TTL_SECONDS, "seconds"),
});

export const tokenCacheMaxEntries: IntParam = defineInt("TOKEN_CACHE_MAX_ENTRIES", {
  default: DEFAULTS.TOKEN_CACHE_MAX_ENTRIES,
  description:
    `Signed tokens kept per instance for reuse (least recently used go first), 0 to ` +
    `${MAX_TOKEN_CACHE_ENTRIES}; 0 = none.`,
  input: wholeNumber(DEFAULTS.TOKEN_CACHE_MAX_ENTRIES, "a number of tokens"),
});

export const tokenCacheMinRemainingPercent: IntParam = defineInt(
  "TOKEN_CACHE_MIN_REMAINING_PERCENT",
  {
    default: DEFAULTS.TOKEN_CACHE_MIN_REMAINING_PERCENT,
    description:
      "A cached token is reused only while at least this percentage of its lifetime remains.",
    input: wholeNumber(DEFAULTS.TOKEN_CACHE_MIN_REMAINING_PERCENT, "a percentage"),
  },
);

/** Deploy-time option (the CLI resolves it into the function's manifest). */
export const maxInstances: IntParam = defineInt("MAX_INSTANCES", {
  default: 10,
  description: "The most instances the function scales to, for cost control.",
  input: wholeNumber(10, "a number of instances"),
});

/**
 * Instances kept warm even without traffic (deploy-time, like MAX_INSTANCES). Each one is billed
 * while idle, at a lower rate than a busy instance; in exchange a call that lands on it skips the
 * first call of a fresh instance (docs/performance.md says when a fleet should pay for that).
 */
export const minInstances: IntParam = defineInt("MIN_INSTANCES", {
  default: 0,
  description:
    "Instances kept warm without traffic (billed while idle); 0 = scale to zero between bursts.",
  input: wholeNumber(0, "a number of instances"),
});

/**
 * Requests one instance serves at once (deploy-time). A call mostly waits on the network (Auth,
 * Firestore, IAM), so one instance carries many; more than 1 needs a whole CPU (see callable.ts).
 */
export const concurrency: IntParam = defineInt("CONCURRENCY", {
  default: 80,
  description: "Requests one instance serves at once, 1 to 1000 (more than 1 needs one full CPU).",
  input: wholeNumber(80, "a number of requests"),
});

/**
 * Every param of the function but its region (which each entry point declares, see
 * config/region.ts), in the order the CLI asks for them; for tools that read or check them all.
 */
export const ALL_PARAMS: readonly { readonly name: string }[] = [
  enabledTokenTypes,
  ...COLLECTION_NAMES.map((name) => collectionParams[name]),
  ...FIELD_NAMES.map((field) => fieldPathParams[field]),
  runtimeServiceAccount,
  ...TOKEN_TYPES.map((type) => signerAccountParams[type]),
  enforceAppCheck,
  consumeAppCheckToken,
  corsOrigins,
  checkRevokedTokens,
  tokenTtlSeconds,
  tokenCacheMaxEntries,
  tokenCacheMinRemainingPercent,
  maxInstances,
  minInstances,
  concurrency,
];
