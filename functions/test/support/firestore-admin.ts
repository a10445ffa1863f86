import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { PROJECT_ID, requireEmulatorEnv } from "./emulator-env.js";

/** The Admin SDK in the test process, talking to the Firestore emulator like a trusted backend. */
export function adminFirestore(): Firestore {
  requireEmulatorEnv();
  const app = getApps()[0] ?? initializeApp({ projectId: PROJECT_ID });
  return getFirestore(app);
}

export async function clearFirestore(): Promise<void> {
  const { firestore } = requireEmulatorEnv();
  const response = await fetch(
    `http://${firestore}/emulator/v1/projects/${PROJECT_ID}/databases/(default)/documents`,
    { method: "DELETE" },
  );
  if (!response.ok) throw new Error(`cannot clear the Firestore emulator: ${response.status}`);
}
