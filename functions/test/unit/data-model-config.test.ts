import { describe, expect, it, vi } from "vitest";
import {
  DEFAULT_FIELD_PATHS,
  FIELD_NAMES,
  FIELD_PARAMS,
  loadConfig,
  parseEnabledTokenTypes,
  regionProblem,
} from "../../src/config/index.js";
import { ErrorCode } from "../../src/errors.js";
import { DEFAULT_ENABLED_TOKEN_TYPES, TOKEN_TYPES } from "../../src/token-types.js";
import { configRefusal } from "../support/failures.js";

describe("field path params", () => {
  it("default to the README's field names", () => {
    for (const field of FIELD_NAMES) vi.stubEnv(FIELD_PARAMS[field].name, undefined);
    const config = loadConfig();
    expect(config.fields).toEqual(DEFAULT_FIELD_PATHS);
    expect(config.fields).toEqual({
      driverVehicle: ["vehicleId"],
      driverDeliveryVehicle: ["deliveryVehicleId"],
      driverActive: ["active"],
      tripConsumers: ["consumerUids"],
      tripStatus: ["status"],
      shipmentConsumers: ["consumerUids"],
      taskVehicle: ["deliveryVehicleId"],
      taskConsumers: ["consumerUids"],
    });
  });

  it("read nested paths with dots, every one of them", () => {
    for (const field of FIELD_NAMES) vi.stubEnv(FIELD_PARAMS[field].name, ` app.${field} `);
    const config = loadConfig();
    for (const field of FIELD_NAMES) expect(config.fields[field]).toEqual(["app", field]);
    expect(Object.isFrozen(config.fields)).toBe(true);
  });

  it.each([
    ["", /empty/],
    ["   ", /empty/],
    ["fleet..vehicleId", /double dot/],
    [".vehicleId", /leading/],
    ["vehicleId.", /trailing/],
    ["fleet.vehicle/Id", /cannot use/],
    ["a*b", /cannot use/],
    ["rides[0]", /cannot use/],
    ["`quoted`", /cannot use/],
    ["rider uid", /cannot use/],
    ["__name__", /reserved/],
    ["x".repeat(1501), /1500 bytes/],
  ])("fail closed on %j, naming the param, for every field param", (value, problem) => {
    for (const field of FIELD_NAMES) {
      vi.unstubAllEnvs();
      vi.stubEnv(FIELD_PARAMS[field].name, value);
      const error = configRefusal();
      expect(error.code).toBe(ErrorCode.Misconfigured);
      expect(error.clientCode).toBe("failed-precondition");
      expect(error.details).toMatchObject({
        reason: "invalid-param",
        param: FIELD_PARAMS[field].name,
      });
      expect(error.message).toMatch(problem);
    }
  });
});

describe("REGION", () => {
  it("defaults to us-central1 and reads one region", () => {
    vi.stubEnv("REGION", undefined);
    expect(loadConfig().region).toBe("us-central1");
    vi.stubEnv("REGION", "europe-west1");
    expect(loadConfig().region).toBe("europe-west1");
  });

  it.each(["", "europe-west1,us-central1", "Europe-West1", "eu", "us-central1 "])(
    "refuses %j (one region name only)",
    (value) => {
      if (value.trim() === value) {
        vi.stubEnv("REGION", value);
        expect(configRefusal().details).toMatchObject({ param: "REGION" });
      } else {
        // Surrounding blanks are trimmed like every string param.
        vi.stubEnv("REGION", value);
        expect(loadConfig().region).toBe(value.trim());
      }
    },
  );

  it("is FUNCTION_DEFAULT_REGION in a kit instance, the wrapper template's param", () => {
    vi.stubEnv("REGION", "asia-east1");
    vi.stubEnv("FUNCTION_DEFAULT_REGION", "europe-west1");
    expect(loadConfig("kit").region).toBe("europe-west1");
    expect(loadConfig("codebase").region).toBe("asia-east1");
    vi.stubEnv("FUNCTION_DEFAULT_REGION", "europe");
    expect(configRefusal(() => loadConfig("kit")).details).toMatchObject({
      param: "FUNCTION_DEFAULT_REGION",
    });
  });

  it("says why a list is refused", () => {
    expect(regionProblem("europe-west1,us-central1")).toMatch(/one region/);
    expect(regionProblem("asia-northeast1")).toBeUndefined();
    expect(regionProblem("me-central2")).toBeUndefined();
  });
});

describe("ENABLED_TOKEN_TYPES", () => {
  it("enables every type but the opt-in trustedDeliveryDriver by default", () => {
    vi.stubEnv("ENABLED_TOKEN_TYPES", undefined);
    expect(loadConfig().enabledTypes).toEqual(DEFAULT_ENABLED_TOKEN_TYPES);
    expect(DEFAULT_ENABLED_TOKEN_TYPES).toEqual(
      TOKEN_TYPES.filter((type) => type !== "trustedDeliveryDriver"),
    );
  });

  it("enables trustedDeliveryDriver when listed, in the table's order", () => {
    vi.stubEnv("ENABLED_TOKEN_TYPES", "deliveryConsumer,trustedDeliveryDriver");
    expect(loadConfig().enabledTypes).toEqual(["trustedDeliveryDriver", "deliveryConsumer"]);
  });

  it("reads a comma-separated subset, blanks forgiven, in the table's order", () => {
    vi.stubEnv("ENABLED_TOKEN_TYPES", " fleetReader, driver ,consumer,");
    expect(loadConfig().enabledTypes).toEqual(["driver", "consumer", "fleetReader"]);
  });

  it("reads the JSON form a deployed function gets for a list param", () => {
    vi.stubEnv("ENABLED_TOKEN_TYPES", '["fleetReader","driver"]');
    expect(loadConfig().enabledTypes).toEqual(["driver", "fleetReader"]);
    vi.stubEnv("ENABLED_TOKEN_TYPES", "['consumer']");
    expect(loadConfig().enabledTypes).toEqual(["consumer"]);
  });

  it.each([
    ["", /at least one/],
    [" , ", /at least one/],
    ["[]", /at least one/],
    ['["driver"', /JSON array/],
    ['["driver", 7]', /JSON array/],
    ["driver,admin", /unknown token types admin/],
    ["Driver", /unknown token types Driver/],
  ])("refuses %j, naming the param", (value, problem) => {
    vi.stubEnv("ENABLED_TOKEN_TYPES", value);
    const error = configRefusal();
    expect(error.details).toMatchObject({ param: "ENABLED_TOKEN_TYPES" });
    expect(error.message).toMatch(problem);
    expect(parseEnabledTokenTypes(value)).toEqual(expect.stringMatching(problem));
  });
});
