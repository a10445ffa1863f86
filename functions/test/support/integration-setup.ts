import { clearAccounts } from "./auth-emulator.js";
import { requireEmulatorEnv } from "./emulator-env.js";
import { clearFirestore } from "./firestore-admin.js";

/** Runs once before the integration suite: the emulators must be there, and start empty. */
export default async function setup(): Promise<void> {
  requireEmulatorEnv();
  await clearAccounts();
  await clearFirestore();
}
