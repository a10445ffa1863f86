// @ts-check
import { DEMO_USERS, demoDocuments } from "./demo-data.mjs";
import { setDocument, upsertUser } from "./emulator-rest.mjs";
import { emulatorDataModel } from "./params.mjs";

/**
 * Writes the demo accounts and assignments into the running emulators, at the collection names
 * and field paths of the params the Functions emulator read. Idempotent.
 * @param {import("./params.mjs").DataModel} [model]
 */
export async function seedDemoData(model = emulatorDataModel()) {
  for (const user of DEMO_USERS) await upsertUser(user);
  for (const [path, data] of Object.entries(demoDocuments(model))) await setDocument(path, data);
}
