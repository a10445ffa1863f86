import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { emulatorAppCheckToken } from "../support/app-check.js";
import { createUser, type TestUser } from "../support/auth-emulator.js";
import type { CallableAnswer } from "../support/callable.js";
import { emulatorSigningKey } from "../support/dev-key.js";
import { adminFirestore } from "../support/firestore-admin.js";
import { nowSeconds, verifyFleetEngineToken } from "../support/verify.js";

/**
 * The whole token flow against an app's own data model: the same function source, loaded by
 * scripts/emulators-exec.mjs a second time as codebase `fleet-engine-tokens-mapped` (functions
 * prefixed `mapped-`) with a non-default REGION, collections, nested field paths, a single-uid
 * consumers field and four enabled types, the opt-in trustedDeliveryDriver among them
 * (scripts/lib/test-stack.mjs MAPPED_PARAMS), while the default-mapping suites run against the
 * first codebase in the same emulators.
 */

interface Mapping {
  REGION: string;
  DRIVERS_COLLECTION: string;
  TRIPS_COLLECTION: string;
  SHIPMENTS_COLLECTION: string;
  TASKS_COLLECTION: string;
  DRIVER_VEHICLE_FIELD: string;
  DRIVER_DELIVERY_VEHICLE_FIELD: string;
  DRIVER_ACTIVE_FIELD: string;
  TRIP_CONSUMERS_FIELD: string;
  TRIP_STATUS_FIELD: string;
  SHIPMENT_CONSUMERS_FIELD: string;
  TASK_VEHICLE_FIELD: string;
  TASK_CONSUMERS_FIELD: string;
  ENABLED_TOKEN_TYPES: string;
}

const URL = process.env.FLEET_ENGINE_MAPPED_CALLABLE_URL ?? "";
const m = JSON.parse(process.env.FLEET_ENGINE_MAPPED_PARAMS ?? "{}") as Mapping;
const TTL_SECONDS = 3600; // functions/.env
const key = emulatorSigningKey();
const id = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A value at a dotted field path, as the nested maps an app stores. */
function nested(fieldPath: string, value: unknown): Record<string, unknown> {
  return fieldPath
    .split(".")
    .reduceRight<unknown>((inner, name) => ({ [name]: inner }), value) as Record<string, unknown>;
}

/** Deep-merges nested maps, for documents with several mapped fields under one map. */
function merge(...parts: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [name, value] of Object.entries(part)) {
      const current = out[name];
      out[name] =
        typeof current === "object" && current !== null && typeof value === "object"
          ? merge(current as Record<string, unknown>, value as Record<string, unknown>)
          : value;
    }
  }
  return out;
}

async function call(idToken: string, data: unknown): Promise<CallableAnswer> {
  const response = await fetch(URL, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${idToken}`,
      "x-firebase-appcheck": emulatorAppCheckToken(),
    },
    body: JSON.stringify({ data }),
  });
  return {
    status: response.status,
    ...((await response.json()) as Omit<CallableAnswer, "status">),
  };
}

async function expectToken(
  answer: CallableAnswer,
  authorization: Record<string, string>,
  calledAt: number,
): Promise<void> {
  expect(answer.error).toBeUndefined();
  expect(answer.status).toBe(200);
  expect(answer.result?.authorization).toEqual(authorization);
  await verifyFleetEngineToken(answer.result!.token, key.publicKey, {
    account: key.email,
    keyId: key.keyId,
    authorization,
    ttlSeconds: TTL_SECONDS,
    issuedBetween: [calledAt - TTL_SECONDS / 2, nowSeconds() + 1],
  });
}

function expectDenied(answer: CallableAnswer): void {
  expect(answer.result).toBeUndefined();
  expect(answer.error?.status).toBe("PERMISSION_DENIED");
}

let driver: TestUser;
let inactiveDriver: TestUser;
let rider: TestUser;
let otherRider: TestUser;
let operator: TestUser;
const ids = {
  vehicle: id("vehicle"),
  deliveryVehicle: id("dv"),
  ride: id("ride"),
  otherRide: id("ride"),
  parcel: id("parcel"),
  stop: id("stop"),
  otherVehicleStop: id("stop"),
  brokenStop: id("stop"),
};

beforeAll(async () => {
  if (!URL || !m.REGION) {
    throw new Error(
      "Run through npm run test:integration: emulators-exec loads the mapped codebase.",
    );
  }
  [driver, inactiveDriver, rider, otherRider, operator] = await Promise.all([
    createUser("mapped-driver"),
    createUser("mapped-inactive-driver"),
    createUser("mapped-rider"),
    createUser("mapped-other-rider"),
    createUser("mapped-operator", { fleetReader: true }),
  ]);
  const db = adminFirestore();
  await Promise.all([
    db
      .doc(`${m.DRIVERS_COLLECTION}/${driver.uid}`)
      .set(
        merge(
          { name: "Ada" },
          nested(m.DRIVER_VEHICLE_FIELD, ids.vehicle),
          nested(m.DRIVER_DELIVERY_VEHICLE_FIELD, ids.deliveryVehicle),
        ),
      ),
    db
      .doc(`${m.TASKS_COLLECTION}/${ids.stop}`)
      .set(
        merge(
          nested(m.TASK_VEHICLE_FIELD, ids.deliveryVehicle),
          nested(m.TASK_CONSUMERS_FIELD, rider.uid),
        ),
      ),
    db
      .doc(`${m.TASKS_COLLECTION}/${ids.otherVehicleStop}`)
      .set(nested(m.TASK_VEHICLE_FIELD, id("dv"))),
    // The vehicle field's parent is not a map: unreadable, never taken for the driver's vehicle.
    db
      .doc(`${m.TASKS_COLLECTION}/${ids.brokenStop}`)
      .set({ [m.TASK_VEHICLE_FIELD.split(".")[0] ?? ""]: ids.deliveryVehicle }),
    // The default names mean nothing here: a default-named task of the driver's vehicle.
    db.doc(`tasks/${ids.otherVehicleStop}`).set({ deliveryVehicleId: ids.deliveryVehicle }),
    db
      .doc(`${m.DRIVERS_COLLECTION}/${inactiveDriver.uid}`)
      .set(
        merge(nested(m.DRIVER_VEHICLE_FIELD, id("vehicle")), nested(m.DRIVER_ACTIVE_FIELD, false)),
      ),
    db
      .doc(`${m.TRIPS_COLLECTION}/${ids.ride}`)
      .set(
        merge(
          nested(m.TRIP_CONSUMERS_FIELD, rider.uid),
          nested(m.TRIP_STATUS_FIELD, "ENROUTE_TO_PICKUP"),
        ),
      ),
    db
      .doc(`${m.TRIPS_COLLECTION}/${ids.otherRide}`)
      .set(nested(m.TRIP_CONSUMERS_FIELD, otherRider.uid)),
    db
      .doc(`${m.SHIPMENTS_COLLECTION}/${ids.parcel}`)
      .set(nested(m.SHIPMENT_CONSUMERS_FIELD, [rider.uid])),
    // The default names mean nothing to this deployment.
    db.doc(`drivers/${rider.uid}`).set({ vehicleId: id("vehicle") }),
    db.doc(`trips/${ids.otherRide}`).set({ consumerUids: [rider.uid] }),
  ]);
});

describe("the callable with an app's own region, data model and enabled types", () => {
  it("is served in the mapped region, not us-central1", () => {
    expect(m.REGION).not.toBe("us-central1");
    expect(URL).toContain(`/${m.REGION}/mapped-getFleetEngineToken`);
  });

  it("gives a driver a token for the vehicle at the nested field path", async () => {
    expect(m.DRIVER_VEHICLE_FIELD).toContain(".");
    const t = nowSeconds();
    await expectToken(
      await call(driver.idToken, { type: "driver" }),
      { vehicleid: ids.vehicle },
      t,
    );
  });

  it("cuts off a driver whose nested active field is false", async () => {
    expectDenied(await call(inactiveDriver.idToken, { type: "driver" }));
  });

  it("gives the rider named by a single-uid field a consumer token, nobody else", async () => {
    const t = nowSeconds();
    await expectToken(
      await call(rider.idToken, { type: "consumer", tripId: ids.ride }),
      { tripid: ids.ride },
      t,
    );
    expectDenied(await call(otherRider.idToken, { type: "consumer", tripId: ids.ride }));
  });

  it("reads only the mapped names: default-named documents entitle nobody", async () => {
    expectDenied(await call(rider.idToken, { type: "consumer", tripId: ids.otherRide }));
    expectDenied(await call(rider.idToken, { type: "driver" }));
  });

  it("serves the operator type that is enabled", async () => {
    const t = nowSeconds();
    await expectToken(
      await call(operator.idToken, { type: "fleetReader" }),
      { vehicleid: "*", tripid: "*" },
      t,
    );
  });

  it("gives a trusted driver their vehicle and a task of it, at the mapped paths", async () => {
    expect(m.ENABLED_TOKEN_TYPES.split(",")).toContain("trustedDeliveryDriver");
    expect(m.TASK_VEHICLE_FIELD).toContain(".");
    const t = nowSeconds();
    await expectToken(
      await call(driver.idToken, { type: "trustedDeliveryDriver", taskId: ids.stop }),
      { deliveryvehicleid: ids.deliveryVehicle, taskid: ids.stop },
      t,
    );
    await expectToken(
      await call(driver.idToken, { type: "trustedDeliveryDriver" }),
      { deliveryvehicleid: ids.deliveryVehicle },
      t,
    );
  });

  it("refuses a trusted driver another vehicle's task, an unreadable one and an unknown one", async () => {
    for (const taskId of [ids.otherVehicleStop, ids.brokenStop, id("stop")]) {
      expectDenied(await call(driver.idToken, { type: "trustedDeliveryDriver", taskId }));
    }
    // Nor a task for someone who is not that vehicle's driver.
    expectDenied(await call(rider.idToken, { type: "trustedDeliveryDriver", taskId: ids.stop }));
  });

  it("refuses every type ENABLED_TOKEN_TYPES leaves out, even with a matching document", async () => {
    const enabled = m.ENABLED_TOKEN_TYPES.split(",");
    expect(enabled).not.toContain("deliveryConsumer");
    expect(enabled).not.toContain("deliveryDriver");
    expectDenied(await call(rider.idToken, { type: "deliveryConsumer", trackingId: ids.parcel }));
    expectDenied(await call(rider.idToken, { type: "deliveryConsumer", taskId: ids.stop }));
    expectDenied(await call(driver.idToken, { type: "deliveryDriver" }));
    expectDenied(await call(operator.idToken, { type: "deliveryFleetReader" }));
  });
});
