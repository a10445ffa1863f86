import { describe, expect, it } from "vitest";
import { entitle, type Caller } from "../../../src/entitlement/entitle.js";
import { ErrorCode, TokenServiceError } from "../../../src/errors.js";
import type { TokenRequest } from "../../../src/request.js";
import { MemoryAssignments } from "../../support/memory-assignments.js";

const driver: Caller = { uid: "driver-uid", claims: {} };
const rider: Caller = { uid: "rider-uid", claims: {} };
const operator: Caller = { uid: "op-uid", claims: { fleetReader: true } };

function repo(): MemoryAssignments {
  const assignments = new MemoryAssignments();
  assignments.drivers.set("driver-uid", { vehicleId: "v-1", deliveryVehicleId: "dv-1" });
  assignments.trips.set("trip-1", { consumerUids: ["rider-uid"], status: "ENROUTE_TO_PICKUP" });
  assignments.shipments.set("track-1", { consumerUids: ["rider-uid"] });
  return assignments;
}

async function denial(caller: Caller, request: TokenRequest, assignments = repo()) {
  try {
    await entitle(caller, request, assignments);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenServiceError);
    const e = error as TokenServiceError;
    expect(e.code).toBe(ErrorCode.NotEntitled);
    expect(e.clientCode).toBe("permission-denied");
    return e.details.reason;
  }
  throw new Error("expected a denial");
}

describe("entitle", () => {
  it("gives a driver their assigned vehicle, with or without naming it", async () => {
    expect(await entitle(driver, { type: "driver" }, repo())).toEqual({
      type: "driver",
      resourceId: "v-1",
    });
    expect(await entitle(driver, { type: "driver", resourceId: "v-1" }, repo())).toEqual({
      type: "driver",
      resourceId: "v-1",
    });
  });

  it("gives a delivery driver their delivery vehicle", async () => {
    expect(await entitle(driver, { type: "deliveryDriver" }, repo())).toEqual({
      type: "deliveryDriver",
      resourceId: "dv-1",
    });
  });

  it("gives a rider their live trip and a recipient their shipment", async () => {
    expect(await entitle(rider, { type: "consumer", resourceId: "trip-1" }, repo())).toEqual({
      type: "consumer",
      resourceId: "trip-1",
    });
    expect(
      await entitle(rider, { type: "deliveryConsumer", resourceId: "track-1" }, repo()),
    ).toEqual({ type: "deliveryConsumer", resourceId: "track-1" });
  });

  it("gives operators the wildcard types from the custom claim alone, reading nothing", async () => {
    const assignments = repo();
    expect(await entitle(operator, { type: "fleetReader" }, assignments)).toEqual({
      type: "fleetReader",
      resourceId: undefined,
    });
    expect(await entitle(operator, { type: "deliveryFleetReader" }, assignments)).toEqual({
      type: "deliveryFleetReader",
      resourceId: undefined,
    });
    expect(assignments.reads).toBe(0);
  });

  it("reads at most one document per decision", async () => {
    const assignments = repo();
    await entitle(rider, { type: "consumer", resourceId: "trip-1" }, assignments);
    expect(assignments.reads).toBe(1);
  });

  it.each([
    ["a caller without a driver document", rider, { type: "driver" }, "no-driver-record"],
    ["a different vehicle", driver, { type: "driver", resourceId: "v-2" }, "vehicle-mismatch"],
    [
      "a different delivery vehicle",
      driver,
      { type: "deliveryDriver", resourceId: "dv-2" },
      "vehicle-mismatch",
    ],
    ["an unknown trip", rider, { type: "consumer", resourceId: "nope" }, "unknown-trip"],
    [
      "someone else's trip",
      driver,
      { type: "consumer", resourceId: "trip-1" },
      "not-trip-consumer",
    ],
    [
      "an unknown shipment",
      rider,
      { type: "deliveryConsumer", resourceId: "x" },
      "unknown-shipment",
    ],
    [
      "someone else's shipment",
      driver,
      { type: "deliveryConsumer", resourceId: "track-1" },
      "not-shipment-consumer",
    ],
    ["fleetReader without the claim", rider, { type: "fleetReader" }, "missing-operator-claim"],
    [
      "deliveryFleetReader without the claim",
      driver,
      { type: "deliveryFleetReader" },
      "missing-operator-claim",
    ],
    [
      "a claim that is merely truthy",
      { uid: "u", claims: { fleetReader: "true" } },
      { type: "fleetReader" },
      "missing-operator-claim",
    ],
  ] as const)("denies %s", async (_, caller, request, reason) => {
    expect(await denial(caller, request as TokenRequest)).toBe(reason);
  });

  it.each([
    ["COMPLETE", "trip-ended"],
    ["CANCELED", "trip-ended"],
    ["cancelled", "trip-ended"],
    [42, "trip-status-unreadable"],
  ])("denies a trip whose status is %j", async (status, reason) => {
    const assignments = repo();
    assignments.trips.set("trip-1", { consumerUids: ["rider-uid"], status });
    expect(await denial(rider, { type: "consumer", resourceId: "trip-1" }, assignments)).toBe(
      reason,
    );
  });

  it.each([
    [{ active: false, vehicleId: "v-1" }, "driver-inactive"],
    [{ active: "yes", vehicleId: "v-1" }, "driver-inactive"],
    [{ active: true }, "no-vehicle-assigned"],
    [{ vehicleId: "*" }, "no-vehicle-assigned"],
    [{ vehicleId: ["v-1"] }, "no-vehicle-assigned"],
    [{ vehicleId: "" }, "no-vehicle-assigned"],
    [{ vehicleId: "v".repeat(65) }, "no-vehicle-assigned"],
  ])("denies a driver whose document is %j", async (document, reason) => {
    const assignments = repo();
    assignments.drivers.set("driver-uid", document);
    expect(await denial(driver, { type: "driver" }, assignments)).toBe(reason);
  });

  it.each([
    [{ consumerUids: "rider-uid" }],
    [{ consumerUids: [["rider-uid"]] }],
    [{ consumerUids: { 0: "rider-uid" } }],
    [{}],
  ])("denies a trip whose consumerUids is malformed: %j", async (document) => {
    const assignments = repo();
    assignments.trips.set("trip-1", document);
    expect(await denial(rider, { type: "consumer", resourceId: "trip-1" }, assignments)).toBe(
      "not-trip-consumer",
    );
  });
});
