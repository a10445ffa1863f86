/**
 * The one doorway from the tools into the function's own code: the token types with their Fleet
 * Engine roles and signer params, the params, the claim rules and the IAM signer. The tools never
 * restate any of these, so setup:iam and doctor cannot drift from what the function does.
 */
export {
  DEFAULT_ENABLED_TOKEN_TYPES,
  TOKEN_TYPES,
  TOKEN_TYPE_SPECS,
  type TokenType,
} from "../../../functions/src/token-types.js";
export {
  ALL_PARAMS,
  DEFAULTS,
  FIELD_NAMES,
  FIELD_PARAMS,
  COLLECTION_NAMES,
  COLLECTION_PARAMS,
  collectionIdProblem,
  checkRevokedTokens,
  collectionParams,
  consumeAppCheckToken,
  enforceAppCheck,
  loadConfig,
  tokenTtlSeconds,
  enabledTokenTypes,
  fieldPathParams,
  parseEnabledTokenTypes,
  REGION_PARAM_NAMES,
  regionProblem,
  type InstallKind,
  resolveRuntimeAccount,
  runtimeServiceAccount,
  signerAccountParams,
  type Config,
} from "../../../functions/src/config/index.js";
export { fieldPathProblem } from "../../../functions/src/entitlement/field-path.js";
export { DEV_KEY_FILE_ENV } from "../../../functions/src/signing/dev-key-signer.js";
export {
  findSharedSigners,
  isDefaultComputeAccount,
  type SharedSigner,
} from "../../../functions/src/signing/shared-signers.js";
export {
  FLEET_ENGINE_AUDIENCE,
  MAX_TTL_SECONDS,
  MIN_TTL_SECONDS,
  authorizationFor,
  buildClaims,
  type AuthorizationClaim,
  type FleetEngineClaims,
} from "../../../functions/src/token/claims.js";
export {
  IAM_CREDENTIALS_URL,
  IamSigner,
  googleAuthCredentials,
  type IamCredentials,
} from "../../../functions/src/signing/iam-signer.js";
export { ErrorCode, TokenServiceError } from "../../../functions/src/errors.js";
export { fleetEngineIdProblem } from "../../../functions/src/request.js";
