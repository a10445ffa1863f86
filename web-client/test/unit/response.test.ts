import { describe, expect, it } from "vitest";
import { parseTokenResponse } from "../../src/response.js";
import type { FleetEngineTokenRequest } from "../../src/token-types.js";
import { consumerResponse, fakeJwt } from "../support/tokens.js";

describe("parseTokenResponse", () => {
  it("accepts the callable's answer and keeps exactly its fields", () => {
    const data = { ...consumerResponse("trip-1"), extra: "ignored" };
    expect(parseTokenResponse(data, { type: "consumer", tripId: "trip-1" })).toEqual({
      token: data.token,
      type: "consumer",
      authorization: { tripid: "trip-1" },
      expiresInSeconds: 3600,
      expiresAtMillis: data.expiresAtMillis,
    });
  });

  it.each<[FleetEngineTokenRequest, Record<string, string>]>([
    [{ type: "driver" }, { vehicleid: "vehicle-1" }],
    [{ type: "deliveryDriver" }, { deliveryvehicleid: "dv-1" }],
    [{ type: "trustedDeliveryDriver" }, { deliveryvehicleid: "dv-1" }],
    [
      { type: "trustedDeliveryDriver", taskId: "task-1" },
      { deliveryvehicleid: "dv-1", taskid: "task-1" },
    ],
    [{ type: "deliveryConsumer", trackingId: "shipment-1" }, { trackingid: "shipment-1" }],
    [{ type: "deliveryConsumer", taskId: "task-1" }, { taskid: "task-1" }],
    [{ type: "fleetReader" }, { vehicleid: "*", tripid: "*" }],
    [{ type: "deliveryFleetReader" }, { deliveryvehicleid: "*", taskid: "*", trackingid: "*" }],
  ])("accepts for %j the claim %j", (request, authorization) => {
    const data = { ...consumerResponse("x"), type: request.type, authorization };
    expect(parseTokenResponse(data, request).authorization).toEqual(authorization);
  });

  it.each<[FleetEngineTokenRequest, Record<string, string>]>([
    [{ type: "trustedDeliveryDriver" }, { deliveryvehicleid: "dv-1", taskid: "task-1" }],
    [{ type: "trustedDeliveryDriver", taskId: "task-1" }, { deliveryvehicleid: "dv-1" }],
    [{ type: "deliveryConsumer", taskId: "task-1" }, { trackingid: "task-1" }],
    [{ type: "deliveryConsumer", trackingId: "k-1" }, { taskid: "k-1" }],
  ])(
    "refuses for %j the claim %j: a task claim only when a task was asked for",
    (request, authorization) => {
      const data = { ...consumerResponse("x"), type: request.type, authorization };
      expect(() => parseTokenResponse(data, request)).toThrow(
        expect.objectContaining({ code: "invalid-response" }),
      );
    },
  );

  const good = consumerResponse("trip-1");
  it.each<[string, unknown]>([
    ["no object", "token"],
    ["null", null],
    ["no token", { ...good, token: undefined }],
    ["a token that is not a JWT", { ...good, token: "opaque" }],
    ["another type", { ...good, type: "driver" }],
    ["MILLISECONDS in expiresInSeconds", { ...good, expiresInSeconds: 3_600_000 }],
    ["a negative lifetime", { ...good, expiresInSeconds: -1 }],
    ["a lifetime as a string", { ...good, expiresInSeconds: "3600" }],
    ["NaN", { ...good, expiresInSeconds: Number.NaN }],
    ["no expiresAtMillis", { ...good, expiresAtMillis: undefined }],
    ["another type's claim", { ...good, authorization: { vehicleid: "v" } }],
    ["an extra claim key", { ...good, authorization: { tripid: "t", vehicleid: "*" } }],
    ["a claim that is not a string", { ...good, authorization: { tripid: 7 } }],
    ["an empty claim", { ...good, authorization: { tripid: "" } }],
    ["no claim", { ...good, authorization: undefined }],
  ])("refuses %s as invalid-response", (_label, data) => {
    expect(() => parseTokenResponse(data, { type: "consumer", tripId: "trip-1" })).toThrow(
      expect.objectContaining({ name: "FleetEngineTokenError", code: "invalid-response" }),
    );
  });

  it("says which unit it expected when it sees milliseconds", () => {
    expect(() =>
      parseTokenResponse(
        { ...good, token: fakeJwt("a"), expiresInSeconds: 3_599_000 },
        { type: "consumer", tripId: "trip-1" },
      ),
    ).toThrow(/expected seconds/);
  });
});
