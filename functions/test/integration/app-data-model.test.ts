import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import {
  connectAuthEmulator,
  initializeAuth,
  inMemoryPersistence,
  signInWithEmailAndPassword,
} from "firebase/auth";
import {
  connectFunctionsEmulator,
  getFunctions,
  httpsCallable,
  type Functions,
} from "firebase/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../support/auth-emulator.js";
import { emulatorSigningKey } from "../support/dev-key.js";
import { PROJECT_ID, requireEmulatorEnv } from "../support/emulator-env.js";
import { adminFirestore } from "../support/firestore-admin.js";
import { verifyFleetEngineToken, nowSeconds } from "../support/verify.js";

/**
 * A real app's own data model and region, end to end against the Auth and Firestore emulators:
 * the real firebase-functions callable and the production wiring (createRuntimeDeps) served
 * in this process with the params an app would put in functions/.env.<project>, called by the
 * firebase web SDK for the non-default region. The emulator run itself keeps the default
 * mapping for every other test: one Functions emulator can load only one set of params.
 */

const MAPPING: Record<string, string> = {
  REGION: "europe-west1",
  DRIVERS_COLLECTION: "users",
  DRIVER_VEHICLE_FIELD: "fleet.vehicleId",
  DRIVER_ACTIVE_FIELD: "fleet.active",
  TRIPS_COLLECTION: "rides",
  TRIP_CONSUMERS_FIELD: "riderUid",
  TRIP_STATUS_FIELD: "tracking.status",
  ENABLED_TOKEN_TYPES: "driver,consumer,fleetReader",
  CHECK_REVOKED_TOKENS: "true",
  TOKEN_TTL_SECONDS: "1800",
  // This process stands in for the Functions emulator, which signs with the run's dev key.
  FUNCTIONS_EMULATOR: "true",
  FIREBASE_DEBUG_MODE: "true",
};
const saved = new Map<string, string | undefined>();

const key = emulatorSigningKey();
const id = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;
let server: Server;
let client: FirebaseApp;
let functions: Functions;
let rider: TestUser;
let driver: TestUser;
let stranger: TestUser;
const rideId = id("ride");
const vehicleId = id("vehicle");

beforeAll(async () => {
  const { auth: authHost } = requireEmulatorEnv();
  for (const [name, value] of Object.entries(MAPPING)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  const { region } = await import("../../src/config.js");
  const { createTokenCallable } = await import("../../src/callable.js");
  const { createRuntimeDeps } = await import("../../src/runtime.js");
  const { CapturedLogs } = await import("../support/capture-logs.js");
  const callable = createTokenCallable(
    { enforceAppCheck: false, consumeAppCheckToken: false, cors: true },
    async () => createRuntimeDeps(new CapturedLogs()),
  );
  const express = (await import("express")).default;
  const app = express();
  app.use(express.json());
  // The path the Functions emulator and Cloud Functions serve: project, REGION, name.
  app.post(`/${PROJECT_ID}/${region.value()}/getFleetEngineToken`, (req, res) => {
    void callable(req as unknown as Parameters<typeof callable>[0], res);
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });

  [rider, driver, stranger] = await Promise.all([
    createUser("mapped-rider"),
    createUser("mapped-driver"),
    createUser("mapped-stranger"),
  ]);
  const db = adminFirestore();
  await Promise.all([
    db.doc(`rides/${rideId}`).set({ riderUid: rider.uid, tracking: { status: "NEW" } }),
    db.doc(`users/${driver.uid}`).set({ name: "Ada", fleet: { vehicleId, active: true } }),
    // The default names in the default collections mean nothing under this mapping.
    db.doc(`drivers/${stranger.uid}`).set({ vehicleId: id("vehicle") }),
    db.doc(`trips/${rideId}`).set({ consumerUids: [stranger.uid] }),
  ]);

  client = initializeApp(
    { projectId: PROJECT_ID, apiKey: "demo-api-key", appId: "1:000000000000:web:00000000000000" },
    "app-data-model",
  );
  const auth = initializeAuth(client, { persistence: inMemoryPersistence });
  connectAuthEmulator(auth, `http://${authHost}`, { disableWarnings: true });
  functions = getFunctions(client, "europe-west1");
  connectFunctionsEmulator(functions, "127.0.0.1", (server.address() as AddressInfo).port);
});

afterAll(async () => {
  await deleteApp(client);
  server.close();
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function callAs(user: TestUser, data: unknown) {
  const { getAuth } = await import("firebase/auth");
  await signInWithEmailAndPassword(getAuth(client), user.email, user.password);
  return httpsCallable<unknown, { token: string; authorization: Record<string, string> }>(
    functions,
    "getFleetEngineToken",
  )(data).then(
    ({ data: result }) => ({ result }),
    (error: { code?: string }) => ({ error: error.code }),
  );
}

describe("an app's own data model, in europe-west1", () => {
  it("gives the rider named by rides/{id}.riderUid (a string) a consumer token", async () => {
    const answer = await callAs(rider, { type: "consumer", tripId: rideId });
    expect(answer).toHaveProperty("result");
    const { result } = answer as { result: { token: string } };
    await verifyFleetEngineToken(result.token, key.publicKey, {
      account: key.email,
      keyId: key.keyId,
      authorization: { tripid: rideId },
      ttlSeconds: 1800,
      issuedBetween: [nowSeconds() - 60, nowSeconds() + 60],
    });
  });

  it("gives the driver of users/{uid}.fleet.vehicleId a driver token", async () => {
    const answer = await callAs(driver, { type: "driver" });
    expect("result" in answer && answer.result.authorization).toEqual({ vehicleid: vehicleId });
  });

  it("refuses what the default names would have allowed", async () => {
    expect(await callAs(stranger, { type: "consumer", tripId: rideId })).toEqual({
      error: "functions/permission-denied",
    });
    expect(await callAs(stranger, { type: "driver" })).toEqual({
      error: "functions/permission-denied",
    });
  });

  it("refuses a type that ENABLED_TOKEN_TYPES leaves out", async () => {
    expect(await callAs(driver, { type: "deliveryDriver" })).toEqual({
      error: "functions/permission-denied",
    });
  });

  it("cuts the driver off when the nested active flag is false", async () => {
    await adminFirestore().doc(`users/${driver.uid}`).update({ "fleet.active": false });
    expect(await callAs(driver, { type: "driver" })).toEqual({
      error: "functions/permission-denied",
    });
  });
});
