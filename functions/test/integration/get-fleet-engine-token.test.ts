import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../support/auth-emulator.js";
import { callTokenFunction, type CallableAnswer } from "../support/callable.js";
import { emulatorSigningKey } from "../support/dev-key.js";
import { adminFirestore } from "../support/firestore-admin.js";
import { nowSeconds, verifyFleetEngineToken } from "../support/verify.js";

/**
 * The callable over HTTP in the Functions emulator, with real Auth-emulator users and real
 * Firestore-emulator documents. Every token is verified against the public half of this run's
 * dev key.
 */

const TTL_SECONDS = 3600; // functions/.env
const key = emulatorSigningKey();
const id = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

let driver: TestUser;
let deliveryDriver: TestUser;
let rider: TestUser;
let otherRider: TestUser;
let operator: TestUser;
let inactiveDriver: TestUser;
let nobody: TestUser;
const ids = {
  vehicle: id("vehicle"),
  deliveryVehicle: id("dv"),
  trip: id("trip"),
  otherTrip: id("trip"),
  completeTrip: id("trip"),
  canceledTrip: id("trip"),
  shipment: id("track"),
  otherShipment: id("track"),
  task: id("task"),
  otherVehicleTask: id("task"),
};

beforeAll(async () => {
  [driver, deliveryDriver, rider, otherRider, operator, inactiveDriver, nobody] = await Promise.all(
    [
      createUser("driver"),
      createUser("delivery-driver"),
      createUser("rider"),
      createUser("other-rider"),
      createUser("operator", { fleetReader: true }),
      createUser("inactive-driver"),
      createUser("nobody"),
    ],
  );
  const db = adminFirestore();
  await Promise.all([
    db.doc(`drivers/${driver.uid}`).set({ vehicleId: ids.vehicle, active: true }),
    db.doc(`drivers/${deliveryDriver.uid}`).set({ deliveryVehicleId: ids.deliveryVehicle }),
    db.doc(`drivers/${inactiveDriver.uid}`).set({ vehicleId: id("vehicle"), active: false }),
    db.doc(`trips/${ids.trip}`).set({ consumerUids: [rider.uid], status: "ENROUTE_TO_PICKUP" }),
    db.doc(`trips/${ids.otherTrip}`).set({ consumerUids: [otherRider.uid], status: "NEW" }),
    db.doc(`trips/${ids.completeTrip}`).set({ consumerUids: [rider.uid], status: "COMPLETE" }),
    db.doc(`trips/${ids.canceledTrip}`).set({ consumerUids: [rider.uid], status: "CANCELED" }),
    db.doc(`shipments/${ids.shipment}`).set({ consumerUids: [rider.uid] }),
    db.doc(`shipments/${ids.otherShipment}`).set({ consumerUids: [otherRider.uid] }),
    db.doc(`tasks/${ids.task}`).set({
      deliveryVehicleId: ids.deliveryVehicle,
      consumerUids: rider.uid,
    }),
    db.doc(`tasks/${ids.otherVehicleTask}`).set({
      deliveryVehicleId: id("dv"),
      consumerUids: [otherRider.uid, 7],
    }),
  ]);
});

async function expectToken(
  answer: CallableAnswer,
  type: string,
  authorization: Record<string, string>,
  calledAt: number,
): Promise<void> {
  expect(answer.error).toBeUndefined();
  expect(answer.status).toBe(200);
  const result = answer.result!;
  expect(result.type).toBe(type);
  expect(result.authorization).toEqual(authorization);
  const { payload } = await verifyFleetEngineToken(result.token, key.publicKey, {
    account: key.email,
    keyId: key.keyId,
    authorization,
    ttlSeconds: TTL_SECONDS,
    // A token may come from the per-instance cache (other tests mint the same claims), which
    // hands out tokens with at least half their lifetime left.
    issuedBetween: [calledAt - TTL_SECONDS / 2, nowSeconds() + 1],
  });
  // Seconds, not milliseconds: the Maps JavaScript AuthToken contract.
  expect(Number.isInteger(result.expiresInSeconds)).toBe(true);
  expect(result.expiresInSeconds).toBeGreaterThanOrEqual(TTL_SECONDS / 2 - 1);
  expect(result.expiresInSeconds).toBeLessThanOrEqual(TTL_SECONDS);
  expect(result.expiresAtMillis).toBe((payload.exp ?? 0) * 1000);
}

describe("getFleetEngineToken through the emulators: tokens", () => {
  it("gives a driver a token for their vehicle", async () => {
    const t = nowSeconds();
    await expectToken(
      await callTokenFunction(driver.idToken, { type: "driver" }),
      "driver",
      { vehicleid: ids.vehicle },
      t,
    );
  });

  it("gives a driver who names their own vehicle the same", async () => {
    const t = nowSeconds();
    await expectToken(
      await callTokenFunction(driver.idToken, { type: "driver", vehicleId: ids.vehicle }),
      "driver",
      { vehicleid: ids.vehicle },
      t,
    );
  });

  it("gives a rider a token for their trip", async () => {
    const t = nowSeconds();
    await expectToken(
      await callTokenFunction(rider.idToken, { type: "consumer", tripId: ids.trip }),
      "consumer",
      { tripid: ids.trip },
      t,
    );
  });

  it("gives a delivery driver a token for their delivery vehicle", async () => {
    const t = nowSeconds();
    await expectToken(
      await callTokenFunction(deliveryDriver.idToken, { type: "deliveryDriver" }),
      "deliveryDriver",
      { deliveryvehicleid: ids.deliveryVehicle },
      t,
    );
  });

  it("gives a recipient a token for their shipment", async () => {
    const t = nowSeconds();
    await expectToken(
      await callTokenFunction(rider.idToken, {
        type: "deliveryConsumer",
        trackingId: ids.shipment,
      }),
      "deliveryConsumer",
      { trackingid: ids.shipment },
      t,
    );
  });

  it("gives a recipient listed on a task a token for that task only", async () => {
    const t = nowSeconds();
    await expectToken(
      await callTokenFunction(rider.idToken, { type: "deliveryConsumer", taskId: ids.task }),
      "deliveryConsumer",
      { taskid: ids.task },
      t,
    );
  });

  it("gives an operator (custom claim) both fleet reader tokens", async () => {
    const t = nowSeconds();
    await expectToken(
      await callTokenFunction(operator.idToken, { type: "fleetReader" }),
      "fleetReader",
      { vehicleid: "*", tripid: "*" },
      t,
    );
    await expectToken(
      await callTokenFunction(operator.idToken, { type: "deliveryFleetReader" }),
      "deliveryFleetReader",
      { deliveryvehicleid: "*", taskid: "*", trackingid: "*" },
      t,
    );
  });
});

describe("getFleetEngineToken through the emulators: refusals", () => {
  it("answers 401 unauthenticated without an ID token, or with a garbage one", async () => {
    for (const token of [undefined, "not-a-token"]) {
      const answer = await callTokenFunction(token, { type: "driver" });
      expect(answer.status).toBe(401);
      expect(answer.error?.status).toBe("UNAUTHENTICATED");
      expect(answer.result).toBeUndefined();
    }
  });

  it("answers 401 unauthenticated without an App Check token (enforced by default)", async () => {
    const answer = await callTokenFunction(
      rider.idToken,
      { type: "consumer", tripId: ids.trip },
      {
        appCheck: false,
      },
    );
    expect(answer.status).toBe(401);
    expect(answer.error?.status).toBe("UNAUTHENTICATED");
    expect(answer.result).toBeUndefined();
  });

  it.each([
    [{ type: "admin" }, "type"],
    [{ type: "consumer" }, "tripId"],
    [{ type: "consumer", tripId: "*" }, "tripId"],
    [{ type: "driver", vehicleId: "a/b" }, "vehicleId"],
    [{ type: "driver", bogus: 1 }, "bogus"],
    [{ type: "deliveryConsumer" }, "trackingId"],
    [{ type: "deliveryConsumer", trackingId: "k", taskId: "t" }, "taskId"],
    [{ type: "deliveryDriver", taskId: "t" }, "taskId"],
    ["just a string", "data"],
  ])("answers 400 invalid-argument naming the field for %j", async (data, field) => {
    const answer = await callTokenFunction(rider.idToken, data);
    expect(answer.status).toBe(400);
    expect(answer.error?.status).toBe("INVALID_ARGUMENT");
    expect(answer.error?.message.startsWith(`${field} `)).toBe(true);
  });

  const denials: [string, () => TestUser, () => Record<string, string>][] = [
    ["a driver token for someone without an assignment", () => nobody, () => ({ type: "driver" })],
    [
      "a driver token for someone else's vehicle",
      () => driver,
      () => ({ type: "driver", vehicleId: id("vehicle") }),
    ],
    ["a token for an inactive driver", () => inactiveDriver, () => ({ type: "driver" })],
    [
      "a delivery driver token without a delivery vehicle",
      () => driver,
      () => ({ type: "deliveryDriver" }),
    ],
    ["someone else's trip", () => rider, () => ({ type: "consumer", tripId: ids.otherTrip })],
    ["a completed trip", () => rider, () => ({ type: "consumer", tripId: ids.completeTrip })],
    ["a canceled trip", () => rider, () => ({ type: "consumer", tripId: ids.canceledTrip })],
    ["an unknown trip", () => rider, () => ({ type: "consumer", tripId: id("trip") })],
    [
      "someone else's shipment",
      () => rider,
      () => ({ type: "deliveryConsumer", trackingId: ids.otherShipment }),
    ],
    [
      "an unknown shipment",
      () => rider,
      () => ({ type: "deliveryConsumer", trackingId: id("track") }),
    ],
    [
      "someone else's task",
      () => otherRider,
      () => ({ type: "deliveryConsumer", taskId: ids.task }),
    ],
    [
      "a task whose consumers array holds a non-string, even listing the caller",
      () => otherRider,
      () => ({ type: "deliveryConsumer", taskId: ids.otherVehicleTask }),
    ],
    ["an unknown task", () => rider, () => ({ type: "deliveryConsumer", taskId: id("task") })],
    [
      // Opt-in: functions/.env leaves it out of ENABLED_TOKEN_TYPES (reason type-disabled).
      "trustedDeliveryDriver, which this deployment does not enable, even for the driver's task",
      () => deliveryDriver,
      () => ({ type: "trustedDeliveryDriver", taskId: ids.task }),
    ],
    ["fleetReader without the claim", () => driver, () => ({ type: "fleetReader" })],
    ["deliveryFleetReader without the claim", () => rider, () => ({ type: "deliveryFleetReader" })],
  ];

  const messages = new Set<string>();
  it.each(denials)("answers 403 permission-denied for %s", async (_, user, data) => {
    const answer = await callTokenFunction(user().idToken, data());
    expect(answer.status).toBe(403);
    expect(answer.error?.status).toBe("PERMISSION_DENIED");
    expect(answer.result).toBeUndefined();
    messages.add(answer.error?.message ?? "");
  });

  it("uses one uniform message for every denial, so IDs cannot be probed", () => {
    expect(messages.size).toBe(1);
  });
});
