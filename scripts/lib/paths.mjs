// @ts-check
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, whatever the current directory. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Files the scripts make at run time (wrapper jar, test keys, logs); gitignored. */
export const RUNTIME_DIR = path.join(ROOT, ".emulators");

export const PROJECT_ID = "demo-fleet-engine";
export const REGION = "us-central1";
export const FUNCTION_NAME = "getFleetEngineToken";

export const PORTS = Object.freeze({
  hub: 4400,
  logging: 4500,
  auth: 9099,
  firestore: 8080,
  firestoreWebsocket: 9150,
  functions: 5001,
  // The demo page (demo/dist). Not 5000: macOS AirPlay takes it.
  hosting: 5050,
  eventarc: 9299,
  tasks: 9499,
});

export const HOST = "127.0.0.1";

/** The demo page, served by the Hosting emulator. */
export const demoPageUrl = () => `http://${HOST}:${PORTS.hosting}/`;

export const callableUrl = (name = FUNCTION_NAME) =>
  `http://${HOST}:${PORTS.functions}/${PROJECT_ID}/${REGION}/${name}`;

/** Relative paths in FLEET_ENGINE_DEV_KEY_FILE are relative to the repository root. */
export const DEFAULT_DEV_KEY_FILE = ".dev/fleet-engine-dev-key.json";
export function devKeyFile(env = process.env) {
  const configured = env.FLEET_ENGINE_DEV_KEY_FILE?.trim();
  return path.resolve(ROOT, configured || DEFAULT_DEV_KEY_FILE);
}
