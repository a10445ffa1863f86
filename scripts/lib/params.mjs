// @ts-check
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PROJECT_ID, ROOT } from "./project.mjs";

/**
 * The function's params as the Firebase CLI gives them to the function, for the scripts that
 * must agree with it: the callable's URL (REGION), the demo data (collection and field names),
 * the generated Firestore rules, and the token types the demo may ask for.
 *
 * Files, later wins, exactly as firebase-tools' own loader (lib/functions/env.js) orders them:
 * functions/.env, functions/.env.<projectId>, and in the emulator functions/.env.local. Lines are
 * parsed with firebase-tools' own dotenv parser, so quoting and comments mean what they mean to
 * the CLI.
 */

const require = createRequire(import.meta.url);
/** @type {{ parseStrict(data: string): Record<string, string> }} */
const firebaseEnv = require("firebase-tools/lib/functions/env.js");

export const FUNCTIONS_DIR = path.join(ROOT, "functions");

/**
 * Where `npm test` points the Functions emulator for its params (scripts/emulators-exec.mjs sets
 * it), so that helpers in the test process read what the emulator read.
 */
export const PARAMS_DIR_VARIABLE = "FLEET_ENGINE_PARAMS_DIR";

export const TOKEN_TYPES = Object.freeze([
  "driver",
  "consumer",
  "deliveryDriver",
  "trustedDeliveryDriver",
  "deliveryConsumer",
  "fleetReader",
  "deliveryFleetReader",
]);

/** Served only where ENABLED_TOKEN_TYPES lists them (functions/src/token-types.ts optIn). */
export const OPT_IN_TOKEN_TYPES = Object.freeze(["trustedDeliveryDriver"]);

/** The data-model params: today's names are the defaults (functions/src/config/data-model.ts FIELD_PARAMS). */
export const COLLECTION_PARAMS = Object.freeze({
  drivers: { name: "DRIVERS_COLLECTION", default: "drivers" },
  trips: { name: "TRIPS_COLLECTION", default: "trips" },
  shipments: { name: "SHIPMENTS_COLLECTION", default: "shipments" },
  tasks: { name: "TASKS_COLLECTION", default: "tasks" },
});

export const FIELD_PARAMS = Object.freeze({
  driverVehicle: { name: "DRIVER_VEHICLE_FIELD", default: "vehicleId" },
  driverDeliveryVehicle: { name: "DRIVER_DELIVERY_VEHICLE_FIELD", default: "deliveryVehicleId" },
  driverActive: { name: "DRIVER_ACTIVE_FIELD", default: "active" },
  tripConsumers: { name: "TRIP_CONSUMERS_FIELD", default: "consumerUids" },
  tripStatus: { name: "TRIP_STATUS_FIELD", default: "status" },
  shipmentConsumers: { name: "SHIPMENT_CONSUMERS_FIELD", default: "consumerUids" },
  taskVehicle: { name: "TASK_VEHICLE_FIELD", default: "deliveryVehicleId" },
  taskConsumers: { name: "TASK_CONSUMERS_FIELD", default: "consumerUids" },
});

export const REGION_PARAM = Object.freeze({ name: "REGION", default: "us-central1" });
export const ENABLED_TYPES_PARAM = Object.freeze({
  name: "ENABLED_TOKEN_TYPES",
  default: TOKEN_TYPES.filter((type) => !OPT_IN_TOKEN_TYPES.includes(type)).join(","),
});

/** Every param that decides where the callable is and what it reads or serves. */
export const DATA_MODEL_PARAM_NAMES = Object.freeze([
  REGION_PARAM.name,
  ENABLED_TYPES_PARAM.name,
  ...Object.values(COLLECTION_PARAMS).map((param) => param.name),
  ...Object.values(FIELD_PARAMS).map((param) => param.name),
]);

/**
 * @typedef {keyof typeof COLLECTION_PARAMS} CollectionName
 * @typedef {keyof typeof FIELD_PARAMS} FieldName
 * @typedef {{
 *   region: string,
 *   collections: Readonly<Record<CollectionName, string>>,
 *   fields: Readonly<Record<FieldName, string>>,
 *   enabledTypes: readonly string[],
 * }} DataModel
 */

/**
 * The env files the CLI reads, in order, that exist in `dir`.
 * @param {{ dir?: string, projectId?: string, emulator?: boolean }} [options]
 */
export function envFiles(options = {}) {
  const { dir = FUNCTIONS_DIR, projectId = PROJECT_ID, emulator = true } = options;
  const names = [".env", `.env.${projectId}`, ...(emulator ? [".env.local"] : [])];
  return names.map((name) => path.join(dir, name)).filter((file) => existsSync(file));
}

/**
 * One env file's values, parsed by firebase-tools.
 * @param {string} file
 * @returns {Record<string, string>}
 */
export function readEnvFile(file) {
  try {
    return firebaseEnv.parseStrict(readFileSync(file, "utf8"));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ParamError(`${path.relative(ROOT, file)} is not a valid env file: ${why}`);
  }
}

/**
 * The merged values of the env files (later files win), as the CLI would load them.
 * @param {{ dir?: string, projectId?: string, emulator?: boolean }} [options]
 * @returns {Record<string, string>}
 */
export function readParamFiles(options = {}) {
  /** @type {Record<string, string>} */
  let values = {};
  for (const file of envFiles(options)) values = { ...values, ...readEnvFile(file) };
  return values;
}

/**
 * The params the local Functions emulator sees: functions/.env, .env.demo-fleet-engine and
 * .env.local, or the directory emulators-exec prepared for a test run.
 * @param {NodeJS.ProcessEnv} [env]
 */
export function emulatorParams(env = process.env) {
  const dir = env[PARAMS_DIR_VARIABLE]?.trim() || FUNCTIONS_DIR;
  return readParamFiles({ dir: path.resolve(ROOT, dir), emulator: true });
}

export class ParamError extends Error {}

/** Firestore rejects `*~/[]`; the function also refuses blanks, quotes and backslashes. */
const FIELD_SEGMENT = /^[^\s*~/[\]`'"\\.]+$/u;
const RESERVED = /^__.*__$/u;
/** Collection IDs the generated rules can name in a match path. */
const COLLECTION_ID = /^(?!\.\.?$)(?!__.*__$)[A-Za-z0-9_.~-]{1,1500}$/;
const REGION_NAME = /^[a-z]+(-[a-z]+)+[0-9]+$/;

/**
 * Why `raw` is not a field path the function accepts, or undefined. The same rules as
 * functions/src/entitlement/field-path.ts (a unit test holds them together).
 * @param {string} raw
 */
export function fieldPathProblem(raw) {
  if (raw === "") return "must not be empty";
  if (Buffer.byteLength(raw) > 1500) return "must be at most 1500 bytes";
  if (raw.startsWith(".") || raw.endsWith(".") || raw.includes("..")) {
    return "must be dot-separated field names with no empty name (no leading, trailing or double dot)";
  }
  for (const segment of raw.split(".")) {
    if (!FIELD_SEGMENT.test(segment)) {
      return `has a field name Firestore or the rules cannot use: ${JSON.stringify(segment)}`;
    }
    if (RESERVED.test(segment)) return `uses the reserved field name ${segment}`;
  }
  return undefined;
}

/**
 * Reads the data model out of param values, with the function's defaults for what is unset.
 * Throws a ParamError naming the param for a value the function would refuse.
 * @param {Record<string, string | undefined>} values
 * @returns {DataModel}
 */
export function dataModel(values) {
  /** @param {{ name: string, default: string }} param */
  const read = (param) => values[param.name]?.trim() ?? param.default;
  /** @param {string} name @param {string} problem */
  const refuse = (name, problem) => new ParamError(`param ${name} ${problem}`);

  const region = read(REGION_PARAM);
  if (!REGION_NAME.test(region)) {
    throw refuse(REGION_PARAM.name, "must be one region name such as europe-west1");
  }
  const collections = /** @type {Record<CollectionName, string>} */ ({});
  for (const [key, param] of Object.entries(COLLECTION_PARAMS)) {
    const value = read(param);
    if (!COLLECTION_ID.test(value)) {
      throw refuse(param.name, `must be a collection ID (letters, digits, _ . ~ -): ${value}`);
    }
    collections[/** @type {CollectionName} */ (key)] = value;
  }
  const fields = /** @type {Record<FieldName, string>} */ ({});
  for (const [key, param] of Object.entries(FIELD_PARAMS)) {
    const value = read(param);
    const problem = fieldPathProblem(value);
    if (problem !== undefined) throw refuse(param.name, problem);
    fields[/** @type {FieldName} */ (key)] = value;
  }
  const listed = read(ENABLED_TYPES_PARAM)
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const unknown = listed.filter((name) => !TOKEN_TYPES.includes(name));
  if (listed.length === 0 || unknown.length > 0) {
    throw refuse(
      ENABLED_TYPES_PARAM.name,
      `must list token types from ${TOKEN_TYPES.join(", ")}` +
        (unknown.length > 0 ? ` (unknown: ${unknown.join(", ")})` : ""),
    );
  }
  return Object.freeze({
    region,
    collections: Object.freeze(collections),
    fields: Object.freeze(fields),
    enabledTypes: Object.freeze(TOKEN_TYPES.filter((type) => listed.includes(type))),
  });
}

/** The data model with every param at its default. */
export const DEFAULT_DATA_MODEL = dataModel({});

/**
 * The data model of the local emulator stack (see emulatorParams).
 * @param {NodeJS.ProcessEnv} [env]
 */
export function emulatorDataModel(env = process.env) {
  return dataModel(emulatorParams(env));
}
