// @ts-check
import path from "node:path";
import { emulatorParams, REGION_PARAM } from "./params.mjs";
import { PROJECT_ID, ROOT } from "./project.mjs";

export { CODEBASE, PROJECT_ID, ROOT } from "./project.mjs";

/** Files the scripts make at run time (wrapper jar, test keys, logs); gitignored. */
export const RUNTIME_DIR = path.join(ROOT, ".emulators");

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

/**
 * The region the local Functions emulator serves the callable in: the REGION param of
 * functions/.env, .env.demo-fleet-engine and .env.local (or of the test run's params), read when
 * asked, so that a changed .env.local is followed by the next `npm start`.
 * @param {NodeJS.ProcessEnv} [env]
 */
export function emulatorRegion(env = process.env) {
  return emulatorParams(env)[REGION_PARAM.name]?.trim() || REGION_PARAM.default;
}

/**
 * The callable's URL in the Functions emulator.
 * @param {string} [name] @param {string} [region]
 */
export const callableUrl = (name = FUNCTION_NAME, region = emulatorRegion()) =>
  `http://${HOST}:${PORTS.functions}/${PROJECT_ID}/${region}/${name}`;

/** Relative paths in FLEET_ENGINE_DEV_KEY_FILE are relative to the repository root. */
export const DEFAULT_DEV_KEY_FILE = ".dev/fleet-engine-dev-key.json";
export function devKeyFile(env = process.env) {
  const configured = env.FLEET_ENGINE_DEV_KEY_FILE?.trim();
  return path.resolve(ROOT, configured || DEFAULT_DEV_KEY_FILE);
}
