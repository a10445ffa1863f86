import { describe, expect, it } from "vitest";
import { ErrorCode, TokenServiceError } from "../../src/errors.js";
import { fleetEngineIdProblem, parseTokenRequest } from "../../src/request.js";

function rejection(data: unknown): TokenServiceError {
  try {
    parseTokenRequest(data);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenServiceError);
    return error as TokenServiceError;
  }
  throw new Error(`expected ${JSON.stringify(data)} to be rejected`);
}

describe("parseTokenRequest", () => {
  it.each([
    [{ type: "driver" }, { type: "driver" }],
    [
      { type: "driver", vehicleId: "v-1" },
      { type: "driver", resourceId: "v-1" },
    ],
    [
      { type: "consumer", tripId: "trip-1" },
      { type: "consumer", resourceId: "trip-1" },
    ],
    [{ type: "deliveryDriver" }, { type: "deliveryDriver" }],
    [
      { type: "deliveryDriver", deliveryVehicleId: "dv-1" },
      { type: "deliveryDriver", resourceId: "dv-1" },
    ],
    [
      { type: "deliveryConsumer", trackingId: "track-1" },
      { type: "deliveryConsumer", resourceId: "track-1" },
    ],
    [{ type: "fleetReader" }, { type: "fleetReader" }],
    [{ type: "deliveryFleetReader" }, { type: "deliveryFleetReader" }],
    [{ type: "trustedDeliveryDriver" }, { type: "trustedDeliveryDriver" }],
    [
      { type: "trustedDeliveryDriver", taskId: "task-1" },
      { type: "trustedDeliveryDriver", taskId: "task-1" },
    ],
    [
      { type: "trustedDeliveryDriver", deliveryVehicleId: "dv-1", taskId: "task-1" },
      { type: "trustedDeliveryDriver", resourceId: "dv-1", taskId: "task-1" },
    ],
    [
      { type: "deliveryConsumer", taskId: "task-1" },
      { type: "deliveryConsumer", taskId: "task-1" },
    ],
  ])("accepts %j", (data, expected) => {
    expect(parseTokenRequest(data)).toEqual(expected);
  });

  it.each([
    [null, "data"],
    ["driver", "data"],
    [["driver"], "data"],
    [{}, "type"],
    [{ type: "server" }, "type"],
    [{ type: "admin" }, "type"],
    [{ type: 1 }, "type"],
    [{ type: "consumer" }, "tripId"],
    [{ type: "deliveryConsumer" }, "trackingId"],
    [{ type: "deliveryConsumer", trackingId: "k-1", taskId: "task-1" }, "taskId"],
    [{ type: "deliveryConsumer", taskId: "*" }, "taskId"],
    [{ type: "deliveryConsumer", taskId: "" }, "taskId"],
    [{ type: "deliveryConsumer", taskId: ["task-1"] }, "taskId"],
    [{ type: "trustedDeliveryDriver", taskId: "a/b" }, "taskId"],
    [{ type: "trustedDeliveryDriver", taskId: null }, "taskId"],
    [{ type: "trustedDeliveryDriver", vehicleId: "v-1" }, "vehicleId"],
    [{ type: "deliveryDriver", taskId: "task-1" }, "taskId"],
    [{ type: "driver", taskId: "task-1" }, "taskId"],
    [{ type: "consumer", tripId: "t1", taskId: "task-1" }, "taskId"],
    [{ type: "deliveryFleetReader", taskId: "task-1" }, "taskId"],
    [{ type: "consumer", tripId: 7 }, "tripId"],
    [{ type: "consumer", tripId: "" }, "tripId"],
    [{ type: "consumer", tripId: "*" }, "tripId"],
    [{ type: "consumer", tripId: "a*b" }, "tripId"],
    [{ type: "consumer", tripId: "a/b" }, "tripId"],
    [{ type: "consumer", tripId: "a:b" }, "tripId"],
    [{ type: "consumer", tripId: "a?b" }, "tripId"],
    [{ type: "consumer", tripId: "a,b" }, "tripId"],
    [{ type: "consumer", tripId: "a#b" }, "tripId"],
    [{ type: "consumer", tripId: "a\nb" }, "tripId"],
    [{ type: "consumer", tripId: "x".repeat(65) }, "tripId"],
    [{ type: "consumer", tripId: ["t1"] }, "tripId"],
    [{ type: "consumer", tripId: { id: "t1" } }, "tripId"],
    [{ type: "driver", vehicleId: null }, "vehicleId"],
    [{ type: "driver", tripId: "t1" }, "tripId"],
    [{ type: "consumer", tripId: "t1", vehicleId: "v1" }, "vehicleId"],
    [{ type: "fleetReader", vehicleId: "v1" }, "vehicleId"],
    [{ type: "driver", extra: true }, "extra"],
  ])("rejects %j naming %s", (data, field) => {
    const error = rejection(data);
    expect(error.code).toBe(ErrorCode.InvalidRequest);
    expect(error.clientCode).toBe("invalid-argument");
    expect(error.clientMessage.startsWith(`${field} `)).toBe(true);
  });

  it("says what a delivery consumer must name", () => {
    expect(rejection({ type: "deliveryConsumer" }).clientMessage).toBe(
      "trackingId or taskId is required for type deliveryConsumer",
    );
    expect(rejection({ type: "driver", taskId: "t" }).clientMessage).toBe(
      "taskId is not allowed for type driver",
    );
    expect(
      rejection({ type: "deliveryConsumer", trackingId: "k", taskId: "t" }).clientMessage,
    ).toMatch(/^taskId is not allowed together with trackingId/);
  });

  it("refuses objects whose prototype was replaced through __proto__", () => {
    const data = JSON.parse('{"type":"driver","__proto__":{"vehicleId":"v-9"}}') as unknown;
    // JSON.parse keeps __proto__ as an own key, as the emulator's body parser does not:
    // model the emulator by building the object the way it arrives.
    const arrived = Object.assign(Object.create({ vehicleId: "v-9" }) as object, {
      type: "driver",
    });
    expect(rejection(arrived).clientMessage).toMatch(/^data /);
    expect(rejection(data).clientMessage).toMatch(/^__proto__ /);
  });

  it("counts characters, not UTF-16 units, against the 64 limit", () => {
    expect(fleetEngineIdProblem("😀".repeat(64))).toBeUndefined();
    expect(fleetEngineIdProblem("😀".repeat(65))).toMatch(/64/);
  });

  it("rejects lone surrogates and non-NFC strings", () => {
    expect(fleetEngineIdProblem("a\ud800")).toMatch(/Unicode/);
    expect(fleetEngineIdProblem("e\u0301")).toMatch(/normalization/);
    expect(fleetEngineIdProblem("\u00e9")).toBeUndefined();
  });
});
