/**
 * IAM roles the production setup relies on, besides each token type's Fleet Engine role (those
 * come from TOKEN_TYPE_SPECS in functions/src/token-types.ts).
 */

/** Contains iam.serviceAccounts.signJwt. Granted on each signing account, never on the project. */
export const TOKEN_CREATOR_ROLE = "roles/iam.serviceAccountTokenCreator";

/** What setup:iam grants the runtime account so the function can read its assignment documents. */
export const FIRESTORE_READ_ROLE = "roles/datastore.viewer";
/** Project roles that already let an account read Firestore documents. */
export const FIRESTORE_READ_ROLES: readonly string[] = [
  FIRESTORE_READ_ROLE,
  "roles/datastore.user",
  "roles/datastore.owner",
  "roles/editor",
  "roles/owner",
];

/**
 * What setup:iam grants the runtime account so the function can check for revoked sessions and
 * disabled accounts (verifyIdToken with checkRevoked looks the user up): CHECK_REVOKED_TOKENS.
 */
export const AUTH_READ_ROLE = "roles/firebaseauth.viewer";
export const AUTH_READ_ROLES: readonly string[] = [
  AUTH_READ_ROLE,
  "roles/firebaseauth.admin",
  "roles/firebase.viewer",
  "roles/firebase.admin",
  "roles/editor",
  "roles/owner",
];

/** Needed by the runtime account only with CONSUME_APP_CHECK_TOKEN=true (verifyAppCheckToken). */
export const APP_CHECK_VERIFIER_ROLE = "roles/firebaseappcheck.tokenVerifier";
export const APP_CHECK_VERIFIER_ROLES: readonly string[] = [
  APP_CHECK_VERIFIER_ROLE,
  "roles/firebaseappcheck.admin",
];

export const FLEET_ENGINE_ROLE_PREFIX = "roles/fleetengine.";
/** Fleet Engine roles that ignore the JWT's authorization claim: never on a signing account. */
export const FLEET_ENGINE_ADMIN_ROLES: readonly string[] = [
  "roles/fleetengine.ondemandAdmin",
  "roles/fleetengine.serviceSuperUser",
  "roles/fleetengine.deliveryAdmin",
  "roles/fleetengine.deliverySuperUser",
];

/** The APIs setup:iam enables: signing, Fleet Engine, and IAM itself (service accounts). */
export const REQUIRED_SERVICES: readonly string[] = [
  "iamcredentials.googleapis.com",
  "fleetengine.googleapis.com",
  "iam.googleapis.com",
];
