/**
 * Configuration, one file per concern: the app's data model (data-model.ts), the params'
 * declarations (params.ts), the callable's load-time options (callable-settings.ts), and the
 * validation of everything into one frozen Config (load.ts, loadConfig(): the one entry point).
 */
export {
  COLLECTION_NAMES,
  COLLECTION_PARAMS,
  DEFAULT_FIELD_PATHS,
  FIELD_NAMES,
  FIELD_PARAMS,
  collectionIdProblem,
  type CollectionName,
  type Collections,
  type FieldName,
  type FieldPaths,
} from "./data-model.js";
export {
  ALL_PARAMS,
  DEFAULTS,
  FUNCTION_MEMORY,
  FUNCTION_MEMORY_MIB,
  MAX_TOKEN_CACHE_ENTRIES,
  TOKEN_CACHE_MEMORY_BUDGET_BYTES,
  checkRevokedTokens,
  collectionParams,
  concurrency,
  consumeAppCheckToken,
  corsOrigins,
  enabledTokenTypes,
  enforceAppCheck,
  fieldPathParams,
  maxInstances,
  minInstances,
  runtimeServiceAccount,
  signerAccountParams,
  tokenCacheMaxEntries,
  tokenCacheMinRemainingPercent,
  tokenTtlSeconds,
} from "./params.js";
export { callableSettings, parseCorsOrigins, type CallableSettings } from "./callable-settings.js";
export {
  loadConfig,
  parseEnabledTokenTypes,
  parseListParam,
  regionProblem,
  type Config,
} from "./load.js";
export {
  DEFAULT_REGION,
  OFFERED_REGIONS,
  REGION_PARAM_NAMES,
  defineRegionParam,
  type InstallKind,
} from "./region.js";
export {
  SERVICE_ACCOUNT_EMAIL,
  resolveRuntimeAccount,
  runtimeAccountEmail,
  type RuntimeAccountParam,
} from "./runtime-account.js";
