import { execFile } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS, setField } from "../../../scripts/lib/demo-data.mjs";
import { setDocument } from "../../../scripts/lib/emulator-rest.mjs";
import { devKeyFile, HOST, PORTS, PROJECT_ID } from "../../../scripts/lib/paths.mjs";
import { seedDemoData } from "../../../scripts/lib/seed.mjs";
import { compiledClients } from "../../src/kotlin.js";

/**
 * The Android token cache of docs/clients.md on the JVM, against the emulators: the page's own
 * Kotlin, compiled with the stubs (src/kotlin.ts), run by jvm-test/JvmCacheTest.kt in a `java`
 * process that signs in to the Auth emulator and calls the callable in the Functions emulator.
 * It reports what it saw as one JSON line; the tokens it got are verified here.
 */

const user = (email: string) => DEMO_USERS.find((demo) => demo.email === email)!;
const RIDER = user("rider@demo.test");
const DRIVER = user("driver@demo.test");
const DELIVERY_DRIVER = user("delivery-driver@demo.test");
/** The Functions emulator's second codebase: the same function as `mapped-...`, like a kit instance. */
const MAPPED = JSON.parse(process.env.FLEET_ENGINE_MAPPED_PARAMS ?? "{}") as Record<string, string>;
const TRIPS = {
  concurrentTrip: "jvm-concurrent-trip",
  refreshTrip: "jvm-refresh-trip",
  switchTrip: "jvm-switch-trip",
  raceTrip: "jvm-race-trip",
};
const RENAMED_TRIP = "jvm-renamed-ride";
/** Tasks in the renamed codebase's data model, which enables trustedDeliveryDriver. */
const DELIVERY_VEHICLE = "jvm-delivery-vehicle";
const TASKS = { task: "jvm-task", othersTask: "jvm-others-task" };

interface Report {
  concurrent: { callers: number; answered: number; distinctTokens: number; calls: number };
  refresh: {
    lifetimeSeconds: number;
    callsAfterFirst: number;
    callsWith302sLeft: number;
    callsWith299sLeft: number;
    callsAMinuteAfterRefresh: number;
  };
  userSwitch: { rider: string; driverAfterSwitch: string; driverCalls: number };
  switchDuringCall: { callInFlight: string; nextCall: string; calls: number };
  permissionDenied: { thrown: string; code?: string; causeCode?: string };
  driver: { othersVehicle: string };
  renamed: { calls: number };
  trustedDriver: { othersTask: string };
}

let tokenDir: string;
let report: Report;

async function verified(name: string): Promise<Record<string, unknown>> {
  const key = JSON.parse(readFileSync(devKeyFile(), "utf8")) as {
    client_email: string;
    private_key: string;
  };
  const { payload } = await jwtVerify(
    readFileSync(path.join(tokenDir, `${name}.jwt`), "utf8"),
    createPublicKey(key.private_key),
    {
      algorithms: ["RS256"],
      audience: "https://fleetengine.googleapis.com/",
      issuer: key.client_email,
    },
  );
  return payload.authorization as Record<string, unknown>;
}

beforeAll(async () => {
  const authHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  if (!authHost) {
    throw new Error("The JVM test runs inside `npm run test:integration` (emulators:exec).");
  }
  expect(MAPPED.REGION).toBeTruthy();
  const { classpath } = await compiledClients();
  await seedDemoData();
  for (const trip of Object.values(TRIPS)) {
    await setDocument(`trips/${trip}`, { consumerUids: [RIDER.uid], status: "ENROUTE_TO_PICKUP" });
  }
  const ride: Record<string, unknown> = {};
  setField(ride, MAPPED.TRIP_CONSUMERS_FIELD, RIDER.uid);
  setField(ride, MAPPED.TRIP_STATUS_FIELD, "ENROUTE_TO_PICKUP");
  await setDocument(`${MAPPED.TRIPS_COLLECTION}/${RENAMED_TRIP}`, ride);
  expect(MAPPED.ENABLED_TOKEN_TYPES?.split(",")).toContain("trustedDeliveryDriver");
  const deliveryDriver: Record<string, unknown> = {};
  setField(deliveryDriver, MAPPED.DRIVER_DELIVERY_VEHICLE_FIELD, DELIVERY_VEHICLE);
  await setDocument(`${MAPPED.DRIVERS_COLLECTION}/${DELIVERY_DRIVER.uid}`, deliveryDriver);
  for (const [id, vehicle] of [
    [TASKS.task, DELIVERY_VEHICLE],
    [TASKS.othersTask, "jvm-other-vehicle"],
  ]) {
    const task: Record<string, unknown> = {};
    setField(task, MAPPED.TASK_VEHICLE_FIELD, vehicle);
    await setDocument(`${MAPPED.TASKS_COLLECTION}/${id}`, task);
  }

  tokenDir = mkdtempSync(path.join(tmpdir(), "jvm-tokens-"));
  const settings = {
    authHost,
    functionsHost: HOST,
    functionsPort: PORTS.functions,
    region: process.env.FLEET_ENGINE_REGION ?? "us-central1",
    renamedRegion: MAPPED.REGION,
    renamedFunction: "mapped-getFleetEngineToken",
    renamedTrip: RENAMED_TRIP,
    rider: RIDER.email,
    driver: DRIVER.email,
    deliveryDriver: DELIVERY_DRIVER.email,
    deliveryVehicle: DELIVERY_VEHICLE,
    ...TASKS,
    password: DEMO_PASSWORD,
    ...TRIPS,
    othersTrip: "trip-2",
    vehicle: "vehicle-1",
    tokenDir,
  };
  const { stdout } = await promisify(execFile)(
    "java",
    ["-cp", classpath, "JvmCacheTestKt", JSON.stringify(settings)],
    { env: { ...process.env, GCLOUD_PROJECT: PROJECT_ID }, timeout: 180_000 },
  ).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`the JVM test failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`, {
      cause: error,
    });
  });
  report = JSON.parse(stdout.trim().split("\n").at(-1)!) as Report;
});

afterAll(() => {
  if (tokenDir) rmSync(tokenDir, { recursive: true, force: true });
});

describe("the Android cache of docs/clients.md, on the JVM against the emulators", () => {
  it("makes concurrent getToken calls for one trip share one callable call", async () => {
    expect(report.concurrent).toEqual({ callers: 8, answered: 8, distinctTokens: 1, calls: 1 });
    expect(await verified("concurrent")).toEqual({ tripid: TRIPS.concurrentTrip });
  });

  it("reuses a token with more than the SDKs' 5 minutes left, and refreshes it once less is left", async () => {
    expect(report.refresh.lifetimeSeconds).toBeGreaterThan(3500);
    expect(report.refresh).toMatchObject({
      callsAfterFirst: 1,
      callsWith302sLeft: 1,
      callsWith299sLeft: 2,
      callsAMinuteAfterRefresh: 2,
    });
    expect(await verified("refresh")).toEqual({ tripid: TRIPS.refreshTrip });
  });

  it("never serves the previous user's token after a user switch", () => {
    // The driver rides nothing: had the rider's cached token been served, no call would show.
    expect(report.userSwitch).toEqual({
      rider: "none",
      driverAfterSwitch: "PERMISSION_DENIED",
      driverCalls: 1,
    });
  });

  it("never hands out a token whose call answered after the user switched", () => {
    expect(report.switchDuringCall).toEqual({
      callInFlight: "UNAUTHENTICATED",
      nextCall: "PERMISSION_DENIED",
      calls: 2,
    });
  });

  it("surfaces permission-denied as FleetEngineTokenException with Code.PERMISSION_DENIED", () => {
    expect(report.permissionDenied).toEqual({
      thrown: "FleetEngineTokenException",
      code: "PERMISSION_DENIED",
      causeCode: "PERMISSION_DENIED",
    });
  });

  it("gives the Driver SDK's factory a token for the driver's own vehicle, and no other", async () => {
    expect(await verified("driver")).toEqual({ vehicleid: "vehicle-1" });
    expect(report.driver.othersVehicle).toBe("PERMISSION_DENIED");
  });

  it("gives a trusted driver's factory a token naming the SDK's task of their vehicle", async () => {
    expect(await verified("trusted")).toEqual({
      deliveryvehicleid: DELIVERY_VEHICLE,
      taskid: TASKS.task,
    });
    expect(report.trustedDriver.othersTask).toBe("PERMISSION_DENIED");
  });

  it("calls the callable by functionName, as a function kit instance is named", async () => {
    expect(report.renamed.calls).toBe(1);
    expect(await verified("renamed")).toEqual({ tripid: RENAMED_TRIP });
  });
});
