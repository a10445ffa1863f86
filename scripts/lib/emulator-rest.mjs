// @ts-check
import { HOST, PORTS, PROJECT_ID, callableUrl } from "./paths.mjs";

/**
 * Small REST clients for the Auth and Firestore emulators and the callable, so the scripts
 * need nothing but Node. "Bearer owner" is the emulators' admin credential.
 */

const authBase = () =>
  `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST || `${HOST}:${PORTS.auth}`}`;
const firestoreBase = () =>
  `http://${process.env.FIRESTORE_EMULATOR_HOST || `${HOST}:${PORTS.firestore}`}`;
const ADMIN = { authorization: "Bearer owner", "content-type": "application/json" };

/**
 * @param {Response} response @param {string} what
 * @returns {Promise<any>}
 */
async function json(response, what) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** @param {{ uid: string, email: string, password: string, claims?: Record<string, unknown> }} user */
export async function upsertUser(user) {
  const url = `${authBase()}/identitytoolkit.googleapis.com/v1/projects/${PROJECT_ID}/accounts`;
  const body = {
    localId: user.uid,
    email: user.email,
    password: user.password,
    emailVerified: true,
    ...(user.claims ? { customAttributes: JSON.stringify(user.claims) } : {}),
  };
  const created = await fetch(url, { method: "POST", headers: ADMIN, body: JSON.stringify(body) });
  if (created.ok && !user.claims) return;
  // Already there (a restarted seed), or custom claims to set, which the Auth emulator ignores
  // on create: update it to the demo values.
  await json(
    await fetch(`${url}:update`, { method: "POST", headers: ADMIN, body: JSON.stringify(body) }),
    `update user ${user.email}`,
  );
}

/** @param {string} email @param {string} password @returns {Promise<string>} an ID token */
export async function signIn(email, password) {
  const body = await json(
    await fetch(
      `${authBase()}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-api-key`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password, returnSecureToken: true }),
      },
    ),
    `sign in as ${email}`,
  );
  return body.idToken;
}

/** @param {unknown} value @returns {Record<string, unknown>} a Firestore REST Value */
function toValue(value) {
  if (value === null) return { nullValue: null };
  if (typeof value === "boolean") return { booleanValue: value };
  if (typeof value === "number")
    return Number.isInteger(value) ? { integerValue: String(value) } : { doubleValue: value };
  if (typeof value === "string") return { stringValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(toValue) } };
  if (typeof value === "object") {
    return {
      mapValue: {
        fields: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toValue(v)])),
      },
    };
  }
  throw new Error(`cannot store ${typeof value} in Firestore`);
}

/** @param {string} path e.g. "trips/trip-1" @param {Record<string, unknown>} data */
export async function setDocument(path, data) {
  const url = `${firestoreBase()}/v1/projects/${PROJECT_ID}/databases/(default)/documents/${path}`;
  const fields = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, toValue(v)]));
  await json(
    await fetch(url, { method: "PATCH", headers: ADMIN, body: JSON.stringify({ fields }) }),
    `write ${path}`,
  );
}

/**
 * An App Check token the way the Functions emulator takes it: JWT-shaped, decoded, never
 * verified. App Check is enforced by default (ENFORCE_APP_CHECK), so local calls send one; in
 * production only a token signed by App Check passes.
 * @param {string} [appId]
 */
export function emulatorAppCheckToken(appId = "1:000000000000:web:0000000000000000000000") {
  const now = Math.floor(Date.now() / 1000);
  /** @param {unknown} value */
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none", typ: "JWT" })}.${encode({ sub: appId, iat: now, exp: now + 3600 })}.`;
}

/**
 * Calls the callable with the callable protocol.
 * @param {string | undefined} idToken @param {unknown} data
 * @returns {Promise<{ status: number, result?: any, error?: { status: string, message: string } }>}
 */
export async function callToken(idToken, data) {
  const response = await fetch(callableUrl(), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(idToken ? { authorization: `Bearer ${idToken}` } : {}),
      "x-firebase-appcheck": emulatorAppCheckToken(),
    },
    body: JSON.stringify({ data }),
  });
  const body = /** @type {Record<string, unknown>} */ (await response.json().catch(() => ({})));
  return { status: response.status, ...body };
}
