import { describe, expect, it } from "vitest";
import { TOKEN_TYPES } from "../../../src/token-types.js";
import { FLEET_ENGINE_AUDIENCE, authorizationFor, buildClaims } from "../../../src/token/claims.js";

describe("authorizationFor", () => {
  it("gives each type exactly its claim keys (golden)", () => {
    expect(authorizationFor("driver", "v-1")).toEqual({ vehicleid: "v-1" });
    expect(authorizationFor("consumer", "t-1")).toEqual({ tripid: "t-1" });
    expect(authorizationFor("deliveryDriver", "dv-1")).toEqual({ deliveryvehicleid: "dv-1" });
    expect(authorizationFor("deliveryConsumer", "k-1")).toEqual({ trackingid: "k-1" });
    expect(authorizationFor("trustedDeliveryDriver", "dv-1")).toEqual({
      deliveryvehicleid: "dv-1",
    });
    expect(authorizationFor("fleetReader", undefined)).toEqual({ vehicleid: "*", tripid: "*" });
    expect(authorizationFor("deliveryFleetReader", undefined)).toEqual({
      deliveryvehicleid: "*",
      taskid: "*",
      trackingid: "*",
    });
  });

  it("names a task beside a trusted driver's vehicle, or instead of a tracking ID", () => {
    expect(authorizationFor("trustedDeliveryDriver", "dv-1", "task-1")).toEqual({
      deliveryvehicleid: "dv-1",
      taskid: "task-1",
    });
    expect(Object.keys(authorizationFor("trustedDeliveryDriver", "dv-1", "task-1"))).toEqual([
      "deliveryvehicleid",
      "taskid",
    ]);
    expect(authorizationFor("deliveryConsumer", undefined, "task-1")).toEqual({
      taskid: "task-1",
    });
  });

  it("refuses a task claim that is a wildcard, empty, or for a type that takes no task", () => {
    expect(() => authorizationFor("trustedDeliveryDriver", "dv-1", "*")).toThrow(/concrete/);
    expect(() => authorizationFor("trustedDeliveryDriver", "dv-1", "")).toThrow(/concrete/);
    expect(() => authorizationFor("trustedDeliveryDriver", undefined, "t")).toThrow(/concrete/);
    expect(() => authorizationFor("deliveryConsumer", undefined, "*")).toThrow(/concrete/);
    expect(() => authorizationFor("deliveryConsumer", "k-1", "t")).toThrow(/one ID/);
    for (const type of ["driver", "consumer", "deliveryDriver", "deliveryFleetReader"] as const) {
      expect(() => authorizationFor(type, "id-1", "t")).toThrow(/no task/);
    }
  });

  it.each([
    "driver",
    "consumer",
    "deliveryDriver",
    "trustedDeliveryDriver",
    "deliveryConsumer",
  ] as const)("refuses to build a %s claim without one concrete ID", (type) => {
    expect(() => authorizationFor(type, undefined)).toThrow(/concrete/);
    expect(() => authorizationFor(type, "")).toThrow(/concrete/);
    expect(() => authorizationFor(type, "*")).toThrow(/concrete/);
  });

  it("never puts a wildcard in a non-operator type", () => {
    for (const type of TOKEN_TYPES) {
      const claim = authorizationFor(type, "id-1");
      const wildcard = Object.values(claim).includes("*");
      expect(wildcard).toBe(type === "fleetReader" || type === "deliveryFleetReader");
    }
  });
});

describe("buildClaims", () => {
  it("sets iss = sub = account, the audience with its slash, iat in seconds and exp = iat + ttl", () => {
    const claims = buildClaims(
      "sa@p.iam.gserviceaccount.com",
      { tripid: "t" },
      1_700_000_000_999,
      600,
    );
    expect(claims).toEqual({
      iss: "sa@p.iam.gserviceaccount.com",
      sub: "sa@p.iam.gserviceaccount.com",
      aud: "https://fleetengine.googleapis.com/",
      iat: 1_700_000_000,
      exp: 1_700_000_600,
      authorization: { tripid: "t" },
    });
    expect(FLEET_ENGINE_AUDIENCE.endsWith("/")).toBe(true);
  });
});
