import { describe, expect, it } from "vitest";
import { requestForContext } from "../../src/auth-token-context.js";
import { FleetEngineTokenError } from "../../src/errors.js";

describe("requestForContext", () => {
  it.each([
    [
      "consumer",
      { tripId: "trip-1" },
      { type: "consumer", tripId: "trip-1" },
      "consumer:tripId=trip-1:",
    ],
    [
      "deliveryConsumer",
      { trackingId: "shipment-1", taskId: "task-9" },
      { type: "deliveryConsumer", trackingId: "shipment-1" },
      "deliveryConsumer:trackingId=shipment-1:",
    ],
    [
      "deliveryConsumer",
      { taskId: "task-9", trackingId: null },
      { type: "deliveryConsumer", taskId: "task-9" },
      "deliveryConsumer:taskId=task-9:",
    ],
    [
      "driver",
      { vehicleId: "vehicle-1" },
      { type: "driver", vehicleId: "vehicle-1" },
      "driver:vehicleId=vehicle-1:",
    ],
    ["driver", {}, { type: "driver" }, "driver:"],
    [
      "deliveryDriver",
      { deliveryVehicleId: "dv-1", taskId: "task-1" },
      { type: "deliveryDriver", deliveryVehicleId: "dv-1" },
      "deliveryDriver:deliveryVehicleId=dv-1:",
    ],
    ["deliveryDriver", { deliveryVehicleId: null }, { type: "deliveryDriver" }, "deliveryDriver:"],
    [
      "trustedDeliveryDriver",
      { deliveryVehicleId: "dv-1", taskId: "task-1" },
      { type: "trustedDeliveryDriver", deliveryVehicleId: "dv-1", taskId: "task-1" },
      "trustedDeliveryDriver:deliveryVehicleId=dv-1:taskId=task-1:",
    ],
    [
      "trustedDeliveryDriver",
      { deliveryVehicleId: "dv-1", taskId: null },
      { type: "trustedDeliveryDriver", deliveryVehicleId: "dv-1" },
      "trustedDeliveryDriver:deliveryVehicleId=dv-1:",
    ],
    [
      "trustedDeliveryDriver",
      { taskId: "task-1" },
      { type: "trustedDeliveryDriver", taskId: "task-1" },
      "trustedDeliveryDriver:taskId=task-1:",
    ],
    ["fleetReader", { vehicleId: "v", tripId: "t" }, { type: "fleetReader" }, "fleetReader:"],
    [
      "deliveryFleetReader",
      { deliveryVehicleId: "dv", trackingId: "k", taskId: "t" },
      { type: "deliveryFleetReader" },
      "deliveryFleetReader:",
    ],
  ] as const)("%s with %j asks for %j", (type, context, request, key) => {
    expect(requestForContext(type, context)).toEqual({ request, key });
  });

  it("never lets a task and a tracking ID with the same ID share a cache key", () => {
    expect(requestForContext("deliveryConsumer", { taskId: "x" }).key).not.toBe(
      requestForContext("deliveryConsumer", { trackingId: "x" }).key,
    );
  });

  it("ignores IDs of other types: a consumer token names only its trip", () => {
    expect(requestForContext("consumer", { tripId: "t", vehicleId: "v" }).request).toEqual({
      type: "consumer",
      tripId: "t",
    });
  });

  it.each([
    ["consumer", {}, "context.tripId"],
    ["consumer", { tripId: "" }, "context.tripId"],
    ["consumer", { tripId: null, vehicleId: "v" }, "context.tripId"],
    ["deliveryConsumer", {}, "context.trackingId or context.taskId"],
    ["deliveryConsumer", { trackingId: "", taskId: null }, "context.trackingId or context.taskId"],
  ] as const)("refuses %s with %j before any call", (type, context, field) => {
    let thrown: unknown;
    try {
      requestForContext(type, context);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FleetEngineTokenError);
    expect(thrown).toMatchObject({ code: "invalid-argument" });
    expect((thrown as Error).message).toContain(field);
  });
});
