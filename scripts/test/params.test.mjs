// @ts-check
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  COLLECTION_PARAMS,
  DATA_MODEL_PARAM_NAMES,
  DEFAULT_DATA_MODEL,
  FIELD_PARAMS,
  OPT_IN_TOKEN_TYPES,
  TOKEN_TYPES,
  ParamError,
  dataModel,
  emulatorParams,
  envFiles,
  fieldPathProblem,
  readEnvFile,
  readParamFiles,
} from "../lib/params.mjs";
import { ROOT, callableUrl, emulatorRegion } from "../lib/paths.mjs";
// The function's own definitions: the scripts must agree with them.
import * as functionConfig from "../../functions/src/config/index.ts";
import * as functionFieldPath from "../../functions/src/entitlement/field-path.ts";
import * as functionTypes from "../../functions/src/token-types.ts";

/** @param {Record<string, string>} files name -> content */
function paramsDir(files) {
  const dir = mkdtempSync(path.join(tmpdir(), "params-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

describe("reading the params like the Firebase CLI", () => {
  it("reads .env, then .env.<project>, then .env.local (emulator only), later wins", () => {
    const dir = paramsDir({
      ".env": "REGION=us-central1\nTRIPS_COLLECTION=trips\nDRIVERS_COLLECTION=drivers\n",
      ".env.demo-fleet-engine": "TRIPS_COLLECTION=rides # a comment\n",
      ".env.local": 'REGION="europe-west1"\n',
      ".env.other-project": "DRIVERS_COLLECTION=users\n",
    });
    expect(envFiles({ dir }).map((file) => path.basename(file))).toEqual([
      ".env",
      ".env.demo-fleet-engine",
      ".env.local",
    ]);
    expect(readParamFiles({ dir })).toMatchObject({
      REGION: "europe-west1",
      TRIPS_COLLECTION: "rides",
      DRIVERS_COLLECTION: "drivers",
    });
    // A deploy never reads .env.local.
    expect(readParamFiles({ dir, projectId: "other-project", emulator: false })).toMatchObject({
      REGION: "us-central1",
      TRIPS_COLLECTION: "trips",
      DRIVERS_COLLECTION: "users",
    });
  });

  it("follows the test run's params directory when emulators-exec names one", () => {
    const dir = paramsDir({ ".env": "REGION=asia-northeast1\n" });
    const env = { FLEET_ENGINE_PARAMS_DIR: dir };
    expect(emulatorParams(env).REGION).toBe("asia-northeast1");
    expect(emulatorRegion(env)).toBe("asia-northeast1");
    expect(callableUrl("getFleetEngineToken", emulatorRegion(env))).toBe(
      "http://127.0.0.1:5001/demo-fleet-engine/asia-northeast1/getFleetEngineToken",
    );
    expect(emulatorRegion({ FLEET_ENGINE_PARAMS_DIR: paramsDir({ ".env": "" }) })).toBe(
      "us-central1",
    );
  });

  it("refuses a file the CLI would refuse, naming it", () => {
    const dir = paramsDir({ ".env": "not a line\n" });
    expect(() => readEnvFile(path.join(dir, ".env"))).toThrow(ParamError);
  });

  it("functions/.env gives every data-model param the function's default", () => {
    const committed = readEnvFile(path.join(ROOT, "functions", ".env"));
    for (const name of DATA_MODEL_PARAM_NAMES) expect(committed[name], name).toBeDefined();
    expect(dataModel(committed)).toEqual(DEFAULT_DATA_MODEL);
  });
});

describe("the data model", () => {
  it("has the function's defaults and params", () => {
    expect(DEFAULT_DATA_MODEL.region).toBe(functionConfig.DEFAULT_REGION);
    expect(Object.keys(COLLECTION_PARAMS)).toEqual(functionConfig.COLLECTION_NAMES);
    for (const name of functionConfig.COLLECTION_NAMES) {
      expect(COLLECTION_PARAMS[name]).toMatchObject({
        name: functionConfig.COLLECTION_PARAMS[name].name,
        default: functionConfig.COLLECTION_PARAMS[name].default,
      });
    }
    expect(DEFAULT_DATA_MODEL.collections).toEqual({
      drivers: "drivers",
      trips: "trips",
      shipments: "shipments",
      tasks: "tasks",
    });
    expect(Object.keys(FIELD_PARAMS)).toEqual(functionConfig.FIELD_NAMES);
    for (const name of functionConfig.FIELD_NAMES) {
      expect(FIELD_PARAMS[name]).toMatchObject({
        name: functionConfig.FIELD_PARAMS[name].name,
        default: functionConfig.FIELD_PARAMS[name].default,
      });
    }
    expect(DEFAULT_DATA_MODEL.enabledTypes.join(",")).toBe(
      functionConfig.DEFAULTS.ENABLED_TOKEN_TYPES,
    );
    expect(DEFAULT_DATA_MODEL.enabledTypes).not.toContain("trustedDeliveryDriver");
    expect(TOKEN_TYPES).toEqual(functionTypes.TOKEN_TYPES);
    expect(OPT_IN_TOKEN_TYPES).toEqual(
      functionTypes.TOKEN_TYPES.filter((type) => functionTypes.TOKEN_TYPE_SPECS[type].optIn),
    );
  });

  it("reads a non-default mapping, enabled types in table order", () => {
    const model = dataModel({
      REGION: "europe-west1",
      TRIPS_COLLECTION: "rides",
      TRIP_CONSUMERS_FIELD: "riderUid",
      DRIVERS_COLLECTION: "users",
      DRIVER_VEHICLE_FIELD: "fleet.vehicleId",
      ENABLED_TOKEN_TYPES: "fleetReader, consumer,driver",
    });
    expect(model).toMatchObject({
      region: "europe-west1",
      collections: { drivers: "users", trips: "rides", shipments: "shipments" },
      fields: { driverVehicle: "fleet.vehicleId", tripConsumers: "riderUid", tripStatus: "status" },
      enabledTypes: ["driver", "consumer", "fleetReader"],
    });
  });

  it.each([
    ["REGION", "europe-west1,us-central1"],
    ["REGION", ""],
    ["TRIPS_COLLECTION", "a/b"],
    ["DRIVERS_COLLECTION", ".."],
    ["DRIVER_VEHICLE_FIELD", ""],
    ["DRIVER_VEHICLE_FIELD", "fleet..vehicleId"],
    ["TRIP_CONSUMERS_FIELD", "riders[0]"],
    ["SHIPMENT_CONSUMERS_FIELD", "__name__"],
    ["TASKS_COLLECTION", "tasks/x"],
    ["TASK_VEHICLE_FIELD", "route..vehicle"],
    ["TASK_CONSUMERS_FIELD", "a b"],
    ["ENABLED_TOKEN_TYPES", "driver,admin"],
    ["ENABLED_TOKEN_TYPES", " , "],
  ])("refuses %s=%j, naming the param", (name, value) => {
    expect(() => dataModel({ [name]: value })).toThrow(new RegExp(`param ${name} `));
  });

  it.each([
    "vehicleId",
    "fleet.vehicleId",
    "a.b.c",
    "émoji-ok_1",
    "",
    ".a",
    "a.",
    "a..b",
    "a b",
    "a*b",
    "a~b",
    "a/b",
    "a[0]",
    "a`b",
    "a'b",
    'a"b',
    "a\\b",
    "__name__",
    "x.__y__",
    "x".repeat(1501),
  ])("judges the field path %j as the function does", (raw) => {
    expect(fieldPathProblem(raw) === undefined).toBe(
      functionFieldPath.fieldPathProblem(raw) === undefined,
    );
  });
});
