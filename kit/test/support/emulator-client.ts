/**
 * What an app does against its emulators, over their REST APIs: users (with custom claims) in
 * the Auth emulator, documents in the Firestore emulator (as the app's backend writes them, with
 * the emulator's admin credential), and calls of callables with the callable protocol.
 */

export interface SignedInUser {
  readonly uid: string;
  readonly idToken: string;
}

export interface CallResult {
  readonly status: number;
  readonly result?: Record<string, unknown>;
  readonly error?: { status: string; message: string };
}

const json = { "content-type": "application/json" };
const owner = { ...json, authorization: "Bearer owner" };

/** An App Check token as the Functions emulator takes it: decoded, never verified. */
function emulatorAppCheckToken(): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none", typ: "JWT" })}.${encode({ sub: "1:0:web:0", iat: now, exp: now + 3600 })}.`;
}

type FirestoreValue =
  | { stringValue: string }
  | { booleanValue: boolean }
  | { arrayValue: { values: FirestoreValue[] } }
  | { mapValue: { fields: Record<string, FirestoreValue> } };

function toValue(value: unknown): FirestoreValue {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { booleanValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(toValue) } };
  if (typeof value === "object" && value !== null) {
    return { mapValue: { fields: toFields(value as Record<string, unknown>) } };
  }
  throw new Error(`no Firestore value for ${String(value)}`);
}

function toFields(data: Record<string, unknown>): Record<string, FirestoreValue> {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, toValue(value)]));
}

export class EmulatorClient {
  constructor(
    private readonly projectId: string,
    private readonly hosts: { auth: string; firestore: string; functions: string },
  ) {}

  async createUser(email: string, claims?: Record<string, unknown>): Promise<SignedInUser> {
    const auth = `http://${this.hosts.auth}/identitytoolkit.googleapis.com/v1`;
    const credentials = { email, password: "kit-user-password", returnSecureToken: true };
    const signUp = await post<{ localId: string }>(`${auth}/accounts:signUp?key=any`, credentials);
    if (claims !== undefined) {
      await post(
        `${auth}/projects/${this.projectId}/accounts:update`,
        { localId: signUp.localId, customAttributes: JSON.stringify(claims) },
        owner,
      );
    }
    const signIn = await post<{ idToken: string }>(
      `${auth}/accounts:signInWithPassword?key=any`,
      credentials,
    );
    return { uid: signUp.localId, idToken: signIn.idToken };
  }

  async setDocument(documentPath: string, data: Record<string, unknown>): Promise<void> {
    const url =
      `http://${this.hosts.firestore}/v1/projects/${this.projectId}/databases/(default)/` +
      `documents/${documentPath}`;
    const response = await fetch(url, {
      method: "PATCH",
      headers: owner,
      body: JSON.stringify({ fields: toFields(data) }),
    });
    if (!response.ok) throw new Error(`writing ${documentPath}: HTTP ${response.status}`);
  }

  /** Calls a callable served at `region`/`name`, as a signed-in user of an app with App Check. */
  async call(region: string, name: string, user: SignedInUser, data: unknown): Promise<CallResult> {
    const response = await fetch(
      `http://${this.hosts.functions}/${this.projectId}/${region}/${name}`,
      {
        method: "POST",
        headers: {
          ...json,
          authorization: `Bearer ${user.idToken}`,
          "x-firebase-appcheck": emulatorAppCheckToken(),
        },
        body: JSON.stringify({ data }),
      },
    );
    const body = (await response.json().catch(() => ({}))) as Omit<CallResult, "status">;
    return { status: response.status, ...body };
  }
}

async function post<T>(
  url: string,
  body: unknown,
  headers: Record<string, string> = json,
): Promise<T> {
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}
