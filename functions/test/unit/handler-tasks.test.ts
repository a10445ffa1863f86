import { beforeEach, describe, expect, it } from "vitest";
import { TokenCache } from "../../src/cache/token-cache.js";
import type { StoredDocument } from "../../src/entitlement/stored-document.js";
import { ErrorCode, TokenServiceError } from "../../src/errors.js";
import { handleGetFleetEngineToken, type HandlerDeps, type Services } from "../../src/handler.js";
import type { SessionChecker } from "../../src/identity/session.js";
import { createLogs } from "../../src/logs.js";
import { DevKeySigner, EMULATOR_ENV } from "../../src/signing/dev-key-signer.js";
import type { Signer } from "../../src/signing/signer.js";
import { DEFAULT_ENABLED_TOKEN_TYPES } from "../../src/token-types.js";
import { CapturedLogs } from "../support/capture-logs.js";
import { failure } from "../support/failures.js";
import { createThrowawayKey } from "../support/keys.js";
import { MemoryAssignments } from "../support/memory-assignments.js";
import { verifyFleetEngineToken } from "../support/verify.js";

/**
 * Issue 19 in the handler: the trusted delivery driver (a task of their own vehicle, read side
 * by side with the driver record) and the delivery consumer who follows a task.
 */

const NOW = Date.now();
const NOW_SECONDS = Math.floor(NOW / 1000);
const TTL = 1800;
const key = createThrowawayKey("tasks@demo-test.iam.gserviceaccount.com");

let signed: number;
let signer: Signer;
let assignments: MemoryAssignments;
let logs: CapturedLogs;
let ended: Set<string>;
let sessions: SessionChecker;
let extra: Partial<Services>;
let deadlineMs: number | undefined;

beforeEach(() => {
  const inner = new DevKeySigner(key.file, EMULATOR_ENV);
  signed = 0;
  signer = {
    accountEmail: (context) => inner.accountEmail(context),
    signJwt: (claims, context) => {
      signed++;
      return inner.signJwt(claims, context);
    },
  };
  assignments = new MemoryAssignments();
  assignments.drivers.set("driver", { deliveryVehicleId: "dv-1", active: true });
  assignments.tasks.set("task-1", { deliveryVehicleId: "dv-1", consumerUids: ["rider"] });
  assignments.tasks.set("task-2", { deliveryVehicleId: "dv-1", consumerUids: "rider" });
  assignments.tasks.set("task-other", { deliveryVehicleId: "dv-2", consumerUids: ["someone"] });
  logs = new CapturedLogs();
  ended = new Set();
  sessions = {
    currentSession: async (uid) => {
      if (ended.has(uid)) {
        throw new TokenServiceError(ErrorCode.Unauthenticated, "session ended", {
          details: { reason: "token-revoked" },
        });
      }
      return { customClaims: {} };
    },
  };
  extra = {};
  deadlineMs = undefined;
});

function deps(): HandlerDeps {
  return {
    clock: { nowMillis: () => NOW },
    logs: createLogs(logs),
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
    services: async () => ({
      ttlSeconds: TTL,
      checkRevokedTokens: true,
      sessions,
      assignments,
      signers: { forType: () => signer },
      ...extra,
    }),
  };
}

function call(uid: string, data: Record<string, unknown>) {
  return handleGetFleetEngineToken(
    { data, auth: { uid, token: { uid, auth_time: NOW_SECONDS }, rawToken: "raw" } },
    deps(),
  );
}

async function denied(uid: string, data: Record<string, unknown>): Promise<unknown> {
  const error = await failure(call(uid, data));
  expect(error.clientCode).toBe("permission-denied");
  expect(error.clientMessage).toBe("You are not allowed to get this Fleet Engine token.");
  expect(logs.entries).toHaveLength(1);
  return logs.entries[0]?.payload;
}

function gate<T>() {
  let open: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("trustedDeliveryDriver", () => {
  it("gives a driver their vehicle and a task of it, both in one verified token", async () => {
    const response = await call("driver", { type: "trustedDeliveryDriver", taskId: "task-1" });
    const authorization = { deliveryvehicleid: "dv-1", taskid: "task-1" };
    expect(response.authorization).toEqual(authorization);
    await verifyFleetEngineToken(response.token, key.publicKey, {
      account: key.email,
      keyId: key.keyId,
      authorization,
      ttlSeconds: TTL,
      issuedBetween: [NOW_SECONDS, NOW_SECONDS],
    });
    expect(assignments.reads).toBe(2);
    expect(logs.entries[0]?.payload).toMatchObject({
      outcome: "issued",
      type: "trustedDeliveryDriver",
      resourceId: "dv-1",
      taskId: "task-1",
    });
  });

  it("without a task, names the vehicle only and reads the driver record only", async () => {
    const response = await call("driver", {
      type: "trustedDeliveryDriver",
      deliveryVehicleId: "dv-1",
    });
    expect(response.authorization).toEqual({ deliveryvehicleid: "dv-1" });
    expect(assignments.reads).toBe(1);
    expect(logs.entries[0]?.payload.taskId).toBeUndefined();
  });

  it.each<[string, StoredDocument | undefined, Record<string, string>]>([
    ["another vehicle's task", { deliveryVehicleId: "dv-2" }, { reason: "task-not-on-vehicle" }],
    ["an unknown task", undefined, { reason: "unknown-task" }],
    [
      "a task with no vehicle",
      { consumerUids: ["driver"] },
      { reason: "task-not-on-vehicle", field: "deliveryVehicleId", problem: "absent" },
    ],
    [
      "a task whose vehicle is not a string",
      { deliveryVehicleId: ["dv-1"] },
      {
        reason: "task-not-on-vehicle",
        field: "deliveryVehicleId",
        problem: "a array, not a vehicle ID",
      },
    ],
    ["a task of the vehicle in other case", { deliveryVehicleId: "DV-1" }, {}],
    ["a task of the vehicle with a blank", { deliveryVehicleId: "dv-1 " }, {}],
  ])("refuses %s, signing nothing", async (_, task, logged) => {
    if (task === undefined) assignments.tasks.delete("task-x");
    else assignments.tasks.set("task-x", task);
    const payload = await denied("driver", { type: "trustedDeliveryDriver", taskId: "task-x" });
    expect(payload).toMatchObject({ reason: "task-not-on-vehicle", taskId: "task-x", ...logged });
    expect(signed).toBe(0);
  });

  it.each<[string, StoredDocument | undefined, string]>([
    ["no driver record", undefined, "no-driver-record"],
    ["an inactive driver", { deliveryVehicleId: "dv-1", active: false }, "driver-inactive"],
    ["a driver without a delivery vehicle", { vehicleId: "v-1" }, "no-vehicle-assigned"],
  ])("refuses %s even for a task of that vehicle", async (_, driver, reason) => {
    if (driver === undefined) assignments.drivers.delete("driver");
    else assignments.drivers.set("driver", driver);
    const payload = await denied("driver", { type: "trustedDeliveryDriver", taskId: "task-1" });
    expect(payload).toMatchObject({ reason, taskId: "task-1" });
    expect(signed).toBe(0);
  });

  it("refuses a named vehicle that is not the driver's, whatever the task", async () => {
    const payload = await denied("driver", {
      type: "trustedDeliveryDriver",
      deliveryVehicleId: "dv-2",
      taskId: "task-other",
    });
    expect(payload).toMatchObject({ reason: "vehicle-mismatch" });
  });

  it("reads the driver and the task side by side, and signs only once both answered", async () => {
    const driverRead = gate<StoredDocument | undefined>();
    const taskRead = gate<StoredDocument | undefined>();
    const started: string[] = [];
    assignments.getDriver = (uid) => {
      started.push(`driver ${uid}`);
      return driverRead.promise;
    };
    assignments.getTask = (taskId) => {
      started.push(`task ${taskId}`);
      return taskRead.promise;
    };
    const pending = call("driver", { type: "trustedDeliveryDriver", taskId: "task-1" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started.sort()).toEqual(["driver driver", "task task-1"]);
    taskRead.open({ deliveryVehicleId: "dv-1" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(signed).toBe(0);
    driverRead.open({ deliveryVehicleId: "dv-1" });
    expect((await pending).authorization).toEqual({ deliveryvehicleid: "dv-1", taskid: "task-1" });
    expect(signed).toBe(1);
  });

  it.each([
    ["the task read failing", () => Promise.reject(new TypeError("firestore down"))],
    ["the task read hanging", () => new Promise<never>(() => undefined)],
    ["the task read finding another vehicle's task", async () => ({ deliveryVehicleId: "dv-2" })],
  ])("lets a revoked session win over %s", async (_, read) => {
    assignments.getTask = read;
    ended.add("driver");
    const started = Date.now();
    const error = await failure(call("driver", { type: "trustedDeliveryDriver", taskId: "t-9" }));
    expect(error.clientCode).toBe("unauthenticated");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(logs.entries).toHaveLength(1);
    expect(logs.entries[0]?.payload).toMatchObject({ reason: "token-revoked", taskId: "t-9" });
    expect(signed).toBe(0);
  });

  it("bounds both reads by the call's one deadline, naming the step", async () => {
    assignments.getTask = () => new Promise<never>(() => undefined);
    deadlineMs = 150;
    const started = Date.now();
    const error = await failure(call("driver", { type: "trustedDeliveryDriver", taskId: "t-9" }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.clientCode).toBe("unavailable");
    expect(logs.entries).toHaveLength(1);
    expect(logs.entries[0]?.payload).toMatchObject({
      reason: "deadline-exceeded",
      step: "firestore-read",
    });
  });

  it("is refused as type-disabled under the default ENABLED_TOKEN_TYPES, before any read", async () => {
    extra = { enabledTypes: DEFAULT_ENABLED_TOKEN_TYPES };
    expect(DEFAULT_ENABLED_TOKEN_TYPES).not.toContain("trustedDeliveryDriver");
    const payload = await denied("driver", { type: "trustedDeliveryDriver", taskId: "task-1" });
    expect(payload).toMatchObject({ reason: "type-disabled" });
    expect(assignments.reads).toBe(0);
    expect(signed).toBe(0);
  });

  it("keeps tokens of different tasks apart in the cache", async () => {
    extra = {
      cache: new TokenCache({
        clock: { nowMillis: () => NOW },
        maxEntries: 10,
        minRemainingFraction: 0.5,
      }),
    };
    const one = await call("driver", { type: "trustedDeliveryDriver", taskId: "task-1" });
    const two = await call("driver", { type: "trustedDeliveryDriver", taskId: "task-2" });
    const vehicle = await call("driver", { type: "trustedDeliveryDriver" });
    const again = await call("driver", { type: "trustedDeliveryDriver", taskId: "task-1" });
    expect(new Set([one.token, two.token, vehicle.token]).size).toBe(3);
    expect(again.token).toBe(one.token);
    expect(signed).toBe(3);
  });
});

describe("deliveryConsumer by task", () => {
  it("gives a recipient listed on the task a token naming only the task, from one read", async () => {
    for (const taskId of ["task-1", "task-2"]) {
      logs.entries.length = 0;
      const response = await call("rider", { type: "deliveryConsumer", taskId });
      expect(response.authorization).toEqual({ taskid: taskId });
      expect(logs.entries[0]?.payload).toMatchObject({ outcome: "issued", taskId });
      expect(logs.entries[0]?.payload.resourceId).toBeUndefined();
    }
    expect(assignments.reads).toBe(2);
  });

  it.each<[string, StoredDocument | undefined, Record<string, string>]>([
    ["an unknown task", undefined, { reason: "unknown-task" }],
    ["someone else's task", { consumerUids: ["someone"] }, { reason: "not-task-consumer" }],
    [
      "a consumers array holding a non-string",
      { consumerUids: ["rider", 7] },
      { reason: "not-task-consumer", field: "consumerUids", problem: "an array holding a number" },
    ],
    [
      "a consumers map",
      { consumerUids: { rider: true } },
      { reason: "not-task-consumer", problem: "a map, not uids" },
    ],
    ["no consumers field", { deliveryVehicleId: "dv-1" }, { problem: "absent" }],
  ])("refuses %s with the one uniform permission-denied", async (_, task, logged) => {
    if (task !== undefined) assignments.tasks.set("task-x", task);
    const payload = await denied("rider", { type: "deliveryConsumer", taskId: "task-x" });
    expect(payload).toMatchObject({ taskId: "task-x", ...logged });
    expect(signed).toBe(0);
  });

  it("never gives a driver of the task's vehicle a consumer token for it", async () => {
    await denied("driver", { type: "deliveryConsumer", taskId: "task-1" });
  });

  it("lets a revoked session win over the task read", async () => {
    ended.add("rider");
    assignments.getTask = () => new Promise<never>(() => undefined);
    const error = await failure(call("rider", { type: "deliveryConsumer", taskId: "task-1" }));
    expect(error.clientCode).toBe("unauthenticated");
  });

  it("keeps a task and a tracking ID with the same ID apart", async () => {
    assignments.shipments.set("same-id", { consumerUids: ["rider"] });
    assignments.tasks.set("same-id", { consumerUids: ["rider"] });
    const cache = new TokenCache({
      clock: { nowMillis: () => NOW },
      maxEntries: 10,
      minRemainingFraction: 0.5,
    });
    extra = { cache };
    const byTask = await call("rider", { type: "deliveryConsumer", taskId: "same-id" });
    const byTracking = await call("rider", { type: "deliveryConsumer", trackingId: "same-id" });
    expect(byTask.authorization).toEqual({ taskid: "same-id" });
    expect(byTracking.authorization).toEqual({ trackingid: "same-id" });
    expect(byTask.token).not.toBe(byTracking.token);
  });

  it("reads only the shipment for a tracking ID", async () => {
    assignments.shipments.set("track-1", { consumerUids: ["rider"] });
    const read: string[] = [];
    const getTask = assignments.getTask.bind(assignments);
    assignments.getTask = (id) => {
      read.push(id);
      return getTask(id);
    };
    await call("rider", { type: "deliveryConsumer", trackingId: "track-1" });
    expect(read).toEqual([]);
    expect(assignments.reads).toBe(1);
  });
});
