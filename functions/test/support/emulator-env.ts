/** Where the emulators are, as `firebase emulators:exec` tells the test process. */
export const PROJECT_ID = process.env.GCLOUD_PROJECT ?? "demo-fleet-engine";

export function requireEmulatorEnv(): { auth: string; firestore: string } {
  const auth = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  const firestore = process.env.FIRESTORE_EMULATOR_HOST;
  if (!auth || !firestore) {
    throw new Error(
      "The integration suite runs inside `firebase emulators:exec`; start it with " +
        "`npm run test:integration` (or `npm test`), not with vitest directly.",
    );
  }
  return { auth, firestore };
}

/** The REGION param the emulator loaded the callable with (scripts/emulators-exec.mjs sets it). */
export const REGION = process.env.FLEET_ENGINE_REGION ?? "us-central1";

export const FUNCTIONS_ORIGIN = "http://127.0.0.1:5001";
export const callableUrl = (name = "getFleetEngineToken", region = REGION): string =>
  `${FUNCTIONS_ORIGIN}/${PROJECT_ID}/${region}/${name}`;
