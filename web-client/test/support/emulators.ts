import { createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import { initializeAppCheck } from "firebase/app-check";
import {
  connectAuthEmulator,
  initializeAuth,
  inMemoryPersistence,
  signInWithEmailAndPassword,
  signOut,
  type Auth,
} from "firebase/auth";
import { connectFunctionsEmulator, getFunctions, type Functions } from "firebase/functions";
import { emulatorAppCheckProvider } from "../../src/emulator/index.js";

/**
 * The real firebase web SDK, in Node, pointed at the emulators that `firebase emulators:exec`
 * started: Auth through connectAuthEmulator, the callable through connectFunctionsEmulator,
 * and App Check (enforced by default) through the emulator-only provider.
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const PROJECT_ID = process.env.GCLOUD_PROJECT ?? "demo-fleet-engine";
const FUNCTIONS_HOST = "127.0.0.1";
const FUNCTIONS_PORT = 5001;
/** The REGION param the emulator loaded the callable with (scripts/emulators-exec.mjs sets it). */
const REGION = process.env.FLEET_ENGINE_REGION ?? "us-central1";

export function requireEmulators(): string {
  const auth = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  if (!auth) {
    throw new Error(
      "The integration suite runs inside `firebase emulators:exec`; start it with " +
        "`npm run test:integration` (or `npm test`) at the repository root.",
    );
  }
  return auth;
}

/** A Functions instance of `app` for `region`, pointed at the Functions emulator. */
export function emulatorFunctions(app: FirebaseApp, region: string): Functions {
  const functions = getFunctions(app, region);
  connectFunctionsEmulator(functions, FUNCTIONS_HOST, FUNCTIONS_PORT);
  return functions;
}

export interface EmulatorClient {
  readonly app: FirebaseApp;
  readonly auth: Auth;
  readonly functions: Functions;
  signIn(email: string, password: string): Promise<string>;
  signOut(): Promise<void>;
  close(): Promise<void>;
}

let apps = 0;

export function emulatorClient(): EmulatorClient {
  const authHost = requireEmulators();
  const app = initializeApp(
    {
      projectId: PROJECT_ID,
      apiKey: "demo-api-key",
      appId: "1:000000000000:web:0000000000000000000000",
    },
    `web-client-integration-${++apps}`,
  );
  initializeAppCheck(app, {
    provider: emulatorAppCheckProvider(app),
    isTokenAutoRefreshEnabled: false,
  });
  const auth = initializeAuth(app, { persistence: inMemoryPersistence });
  connectAuthEmulator(auth, `http://${authHost}`, { disableWarnings: true });
  const functions = emulatorFunctions(app, REGION);
  return {
    app,
    auth,
    functions,
    async signIn(email, password) {
      const { user } = await signInWithEmailAndPassword(auth, email, password);
      return user.uid;
    },
    signOut: () => signOut(auth),
    close: () => deleteApp(app),
  };
}

/** The public half of the key the Functions emulator signs with in this run. */
export function emulatorSigningKey(): { email: string; keyId: string; publicKey: KeyObject } {
  const file = path.resolve(
    ROOT,
    process.env.FLEET_ENGINE_DEV_KEY_FILE ?? ".dev/fleet-engine-dev-key.json",
  );
  const key = JSON.parse(readFileSync(file, "utf8")) as {
    client_email: string;
    private_key_id: string;
    private_key: string;
  };
  // Only the public half leaves this function: tests verify, they never sign.
  return {
    email: key.client_email,
    keyId: key.private_key_id,
    publicKey: createPublicKey(key.private_key),
  };
}

/** Requests to the callable, counted at the fetch the SDK uses (a spy, not a stand-in). */
export function isCallableRequest(input: unknown): boolean {
  const url = input instanceof Request ? input.url : String(input);
  return url.includes("/getFleetEngineToken");
}
