// @ts-check
import { DEMO_DOCUMENTS, DEMO_USERS } from "./demo-data.mjs";
import { setDocument, upsertUser } from "./emulator-rest.mjs";

/** Writes the demo accounts and assignments into the running emulators. Idempotent. */
export async function seedDemoData() {
  for (const user of DEMO_USERS) await upsertUser(user);
  for (const [path, data] of Object.entries(DEMO_DOCUMENTS)) await setDocument(path, data);
}
