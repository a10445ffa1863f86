import { randomUUID } from "node:crypto";
import { PROJECT_ID, requireEmulatorEnv } from "./emulator-env.js";

/**
 * Real users in the Auth emulator, through its REST API: sign-up, sign-in, custom claims,
 * revocation and disabling, exactly what the Admin SDK and client SDKs do against production.
 */

const base = (): string => `http://${requireEmulatorEnv().auth}`;
const ADMIN = { authorization: "Bearer owner", "content-type": "application/json" };

async function post<T>(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(`${base()}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as T & { error?: { message?: string } };
  if (!response.ok)
    throw new Error(`Auth emulator ${path}: ${response.status} ${json.error?.message}`);
  return json;
}

export interface TestUser {
  uid: string;
  email: string;
  password: string;
  /** A fresh ID token, custom claims included. */
  idToken: string;
}

export async function signIn(email: string, password: string): Promise<string> {
  const { idToken } = await post<{ idToken: string }>(
    "/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=fake-api-key",
    { email, password, returnSecureToken: true },
  );
  return idToken;
}

/** Creates a user (with custom claims, if any) and signs them in. */
export async function createUser(
  label: string,
  claims?: Record<string, unknown>,
): Promise<TestUser> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  const password = `pw-${randomUUID()}`;
  const { localId } = await post<{ localId: string }>(
    "/identitytoolkit.googleapis.com/v1/accounts:signUp?key=fake-api-key",
    { email, password, returnSecureToken: true },
  );
  if (claims) await setCustomClaims(localId, claims);
  return { uid: localId, email, password, idToken: await signIn(email, password) };
}

export async function setCustomClaims(uid: string, claims: Record<string, unknown>): Promise<void> {
  await post(
    `/identitytoolkit.googleapis.com/v1/projects/${PROJECT_ID}/accounts:update`,
    { localId: uid, customAttributes: JSON.stringify(claims) },
    ADMIN,
  );
}

export async function clearAccounts(): Promise<void> {
  const response = await fetch(`${base()}/emulator/v1/projects/${PROJECT_ID}/accounts`, {
    method: "DELETE",
  });
  if (!response.ok) throw new Error(`cannot clear Auth emulator accounts: ${response.status}`);
}

/**
 * Revokes every session of the user, as Admin SDK revokeRefreshTokens does: ID tokens issued
 * before `validSince` are revoked. One second ahead, so that a token signed in this very second
 * counts as older (revocation is checked with second precision).
 */
export async function revokeSessions(uid: string): Promise<void> {
  const validSince = String(Math.floor(Date.now() / 1000) + 1);
  await post(
    `/identitytoolkit.googleapis.com/v1/projects/${PROJECT_ID}/accounts:update`,
    { localId: uid, validSince },
    ADMIN,
  );
}

export async function disableUser(uid: string): Promise<void> {
  await post(
    `/identitytoolkit.googleapis.com/v1/projects/${PROJECT_ID}/accounts:update`,
    { localId: uid, disableUser: true },
    ADMIN,
  );
}

/**
 * Signs in with a custom token for `uid`, as a backend that mints custom tokens would let a
 * client do. The Auth emulator accepts unsigned custom tokens, and any uid, `/` included.
 */
export async function signInWithCustomUid(uid: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown): string =>
    Buffer.from(JSON.stringify(value)).toString("base64url");
  const token = [
    encode({ alg: "none", typ: "JWT" }),
    encode({
      uid,
      iss: "firebase-adminsdk@demo.iam.gserviceaccount.com",
      sub: "firebase-adminsdk@demo.iam.gserviceaccount.com",
      aud: "https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit",
      iat: now,
      exp: now + 3600,
    }),
    "",
  ].join(".");
  const { idToken } = await post<{ idToken: string }>(
    "/identitytoolkit.googleapis.com/v1/accounts:signInWithCustomToken?key=fake-api-key",
    { token, returnSecureToken: true },
  );
  return idToken;
}
