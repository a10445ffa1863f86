import { beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.js";
import { TokenCache } from "../../src/cache/token-cache.js";
import type { CallContext } from "../../src/deadline.js";
import { ErrorCode, TokenServiceError } from "../../src/errors.js";
import {
  handleGetFleetEngineToken,
  type HandlerDeps,
  type Services,
  type TokenCallRequest,
} from "../../src/handler.js";
import type { Session, SessionChecker } from "../../src/identity/session.js";
import { createLogs } from "../../src/logs.js";
import { DevKeySigner, EMULATOR_ENV } from "../../src/signing/dev-key-signer.js";
import type { Signer, SignerSet } from "../../src/signing/signer.js";
import type { FleetEngineClaims } from "../../src/token/claims.js";
import { CapturedLogs } from "../support/capture-logs.js";
import { failure } from "../support/failures.js";
import { createThrowawayKey, type ThrowawayKey } from "../support/keys.js";
import { MemoryAssignments } from "../support/memory-assignments.js";
import { verifyFleetEngineToken } from "../support/verify.js";

const NOW = Date.now();
const NOW_SECONDS = Math.floor(NOW / 1000);
const TTL = 1800;
const clock: Clock = { nowMillis: () => NOW };

/** Wraps a signer and counts its signatures, so tests can prove none happened. */
class CountingSigner implements Signer {
  signed = 0;
  constructor(private readonly inner: Signer) {}
  accountEmail(context?: CallContext): Promise<string> {
    return this.inner.accountEmail(context);
  }
  signJwt(claims: FleetEngineClaims, context?: CallContext): Promise<string> {
    this.signed++;
    return this.inner.signJwt(claims, context);
  }
}

const key: ThrowawayKey = createThrowawayKey("handler@demo-test.iam.gserviceaccount.com");
let signer: CountingSigner;
let assignments: MemoryAssignments;
let logs: CapturedLogs;
let deps: HandlerDeps;
let sessions: RecordingSessions;

/**
 * Records what it was asked; `ended` sessions are refused the way the real checker refuses them,
 * and `claims` are the users' CURRENT custom claims (their user records).
 */
class RecordingSessions implements SessionChecker {
  readonly checked: [string, unknown][] = [];
  readonly ended = new Map<string, string>();
  readonly claims = new Map<string, Record<string, unknown>>();
  async currentSession(uid: string, authTime: unknown): Promise<Session> {
    this.checked.push([uid, authTime]);
    const reason = this.ended.get(uid);
    if (reason !== undefined) {
      throw new TokenServiceError(ErrorCode.Unauthenticated, "session ended", {
        details: { reason },
      });
    }
    return { customClaims: this.claims.get(uid) ?? {} };
  }
}

beforeEach(() => {
  signer = new CountingSigner(new DevKeySigner(key.file, EMULATOR_ENV));
  assignments = new MemoryAssignments();
  assignments.drivers.set("driver", { vehicleId: "v-1", deliveryVehicleId: "dv-1", active: true });
  assignments.trips.set("trip-1", { consumerUids: ["rider"], status: "NEW" });
  assignments.trips.set("trip-done", { consumerUids: ["rider"], status: "COMPLETE" });
  assignments.shipments.set("track-1", { consumerUids: ["rider"] });
  logs = new CapturedLogs();
  sessions = new RecordingSessions();
  deps = { clock, logs: createLogs(logs), services: async () => services() };
});

/** The services of these tests (revocation checked, one signer, no cache), with `changes`. */
function services(changes: Partial<Services> = {}): Services {
  return {
    ttlSeconds: TTL,
    assignments,
    signers: { forType: () => signer },
    checkRevokedTokens: true,
    sessions,
    ...changes,
  };
}

/** A call by `uid` whose ID token carries `claims`; the user record agrees unless a test says. */
function call(uid: string | undefined, data: unknown, claims: Record<string, unknown> = {}) {
  if (uid !== undefined && !sessions.claims.has(uid)) sessions.claims.set(uid, claims);
  const request: TokenCallRequest = {
    data,
    auth:
      uid === undefined
        ? undefined
        : { uid, token: { uid, auth_time: NOW_SECONDS, ...claims }, rawToken: `raw-${uid}` },
  };
  return handleGetFleetEngineToken(request, deps);
}

describe("handleGetFleetEngineToken", () => {
  it.each([
    ["driver", "driver", { type: "driver" }, {}, { vehicleid: "v-1" }],
    [
      "driver naming its vehicle",
      "driver",
      { type: "driver", vehicleId: "v-1" },
      {},
      { vehicleid: "v-1" },
    ],
    ["rider", "rider", { type: "consumer", tripId: "trip-1" }, {}, { tripid: "trip-1" }],
    ["delivery driver", "driver", { type: "deliveryDriver" }, {}, { deliveryvehicleid: "dv-1" }],
    [
      "recipient",
      "rider",
      { type: "deliveryConsumer", trackingId: "track-1" },
      {},
      { trackingid: "track-1" },
    ],
    [
      "operator",
      "op",
      { type: "fleetReader" },
      { fleetReader: true },
      { vehicleid: "*", tripid: "*" },
    ],
    [
      "delivery operator",
      "op",
      { type: "deliveryFleetReader" },
      { fleetReader: true },
      { deliveryvehicleid: "*", taskid: "*", trackingid: "*" },
    ],
  ])("issues a verified token to a %s", async (_, uid, data, claims, authorization) => {
    const response = await call(uid, data, claims);
    expect(Object.keys(response).sort()).toEqual([
      "authorization",
      "expiresAtMillis",
      "expiresInSeconds",
      "token",
      "type",
    ]);
    expect(response.type).toBe(data.type);
    expect(response.authorization).toEqual(authorization);
    expect(response.expiresInSeconds).toBe(TTL);
    expect(Number.isInteger(response.expiresInSeconds)).toBe(true);
    expect(response.expiresAtMillis).toBe((NOW_SECONDS + TTL) * 1000);
    const { payload } = await verifyFleetEngineToken(response.token, key.publicKey, {
      account: key.email,
      keyId: key.keyId,
      authorization,
      ttlSeconds: TTL,
      issuedBetween: [NOW_SECONDS, NOW_SECONDS],
    });
    expect(payload.exp).toBe(response.expiresAtMillis / 1000);
  });

  it("writes exactly one 'issued' entry with uid, type, resource and exp, and no token", async () => {
    const response = await call("rider", { type: "consumer", tripId: "trip-1" });
    expect(logs.entries).toHaveLength(1);
    expect(logs.entries[0]).toEqual({
      severity: "INFO",
      message: "fleet engine token issued",
      payload: {
        event: "fleet-engine-token",
        outcome: "issued",
        uid: "rider",
        type: "consumer",
        resourceId: "trip-1",
        account: key.email,
        exp: NOW_SECONDS + TTL,
        cached: false,
      },
    });
    expect(logs.text()).not.toContain(response.token);
    expect(logs.text()).not.toMatch(/eyJ/);
  });

  it.each([
    ["no auth at all", undefined],
    ["an empty uid", ""],
  ])("answers unauthenticated for %s", async (_, uid) => {
    const error = await failure(call(uid, { type: "driver" }));
    expect(error.clientCode).toBe("unauthenticated");
    expect(signer.signed).toBe(0);
    expect(logs.entries).toHaveLength(1);
    expect(logs.entries[0]?.payload).toMatchObject({ outcome: "denied", reason: "no-auth" });
  });

  it("refuses a replayed App Check token when replay protection reports it consumed", async () => {
    const replayed = {
      data: { type: "driver" },
      auth: { uid: "driver", token: {} },
      app: { alreadyConsumed: true },
    };
    const error = await failure(handleGetFleetEngineToken(replayed, deps));
    expect(error.clientCode).toBe("unauthenticated");
    expect(signer.signed).toBe(0);
    expect(logs.entries[0]?.payload).toMatchObject({ reason: "app-check-token-replayed" });

    const fresh = { ...replayed, app: { alreadyConsumed: false } };
    expect((await handleGetFleetEngineToken(fresh, deps)).authorization).toEqual({
      vehicleid: "v-1",
    });
  });

  it("answers unauthenticated when the emulator passes a null uid", async () => {
    const request = { data: { type: "driver" }, auth: { uid: null, token: {} } };
    const error = await failure(handleGetFleetEngineToken(request, deps));
    expect(error.clientCode).toBe("unauthenticated");
  });

  it("answers invalid-argument naming the field, and logs no unvalidated input", async () => {
    const error = await failure(call("rider", { type: "consumer", tripId: "a/b" }));
    expect(error.clientCode).toBe("invalid-argument");
    expect(error.clientMessage).toMatch(/^tripId /);
    expect(logs.entries).toHaveLength(1);
    expect(logs.entries[0]?.payload).toMatchObject({ outcome: "denied", code: "invalid-request" });
    expect(logs.entries[0]?.payload.resourceId).toBeUndefined();
    expect(logs.text()).not.toContain("a/b");
  });

  it.each([
    ["no driver record", "rider", { type: "driver" }, {}],
    ["someone else's vehicle", "driver", { type: "driver", vehicleId: "v-2" }, {}],
    ["someone else's trip", "driver", { type: "consumer", tripId: "trip-1" }, {}],
    ["an ended trip", "rider", { type: "consumer", tripId: "trip-done" }, {}],
    ["an unknown trip", "rider", { type: "consumer", tripId: "trip-404" }, {}],
    ["an unknown shipment", "rider", { type: "deliveryConsumer", trackingId: "nope" }, {}],
    ["someone else's shipment", "driver", { type: "deliveryConsumer", trackingId: "track-1" }, {}],
    ["no operator claim", "rider", { type: "fleetReader" }, {}],
    ["a false operator claim", "rider", { type: "deliveryFleetReader" }, { fleetReader: false }],
  ])(
    "denies %s with one uniform permission-denied and signs nothing",
    async (_, uid, data, claims) => {
      const error = await failure(call(uid, data, claims));
      expect(error.code).toBe(ErrorCode.NotEntitled);
      expect(error.clientCode).toBe("permission-denied");
      expect(error.clientMessage).toBe("You are not allowed to get this Fleet Engine token.");
      expect(signer.signed).toBe(0);
      expect(logs.entries).toHaveLength(1);
      expect(logs.entries[0]?.payload).toMatchObject({
        outcome: "denied",
        code: "not-entitled",
        uid,
      });
    },
  );

  it("denies an inactive driver", async () => {
    assignments.drivers.set("driver", { vehicleId: "v-1", active: false });
    const error = await failure(call("driver", { type: "driver" }));
    expect(error.clientCode).toBe("permission-denied");
    expect(logs.entries[0]?.payload).toMatchObject({ reason: "driver-inactive" });
  });

  it("reports invalid configuration as failed-precondition with a generic message", async () => {
    deps = {
      ...deps,
      services: async () => {
        throw new TokenServiceError(ErrorCode.Misconfigured, "param TOKEN_TTL_SECONDS bad", {
          details: { reason: "invalid-param", param: "TOKEN_TTL_SECONDS" },
        });
      },
    };
    const error = await failure(call("driver", { type: "driver" }));
    expect(error.clientCode).toBe("failed-precondition");
    expect(error.clientMessage).not.toContain("TOKEN_TTL_SECONDS");
    expect(logs.entries).toHaveLength(1);
    expect(logs.entries[0]).toMatchObject({
      severity: "ERROR",
      payload: { outcome: "failed", param: "TOKEN_TTL_SECONDS" },
    });
  });

  it("turns an unexpected throw into internal, logged", async () => {
    assignments.getTrip = async () => {
      throw new TypeError("boom");
    };
    const error = await failure(call("rider", { type: "consumer", tripId: "trip-1" }));
    expect(error.clientCode).toBe("internal");
    expect(logs.entries[0]).toMatchObject({ severity: "ERROR", payload: { outcome: "failed" } });
    expect(String(logs.entries[0]?.payload.error)).toContain("boom");
  });

  it("signs each type with that type's signer", async () => {
    const other = createThrowawayKey("consumer-signer@demo-test.iam.gserviceaccount.com");
    const consumerSigner = new DevKeySigner(other.file, EMULATOR_ENV);
    const signers: SignerSet = {
      forType: (type) => (type === "consumer" ? consumerSigner : signer),
    };
    deps = { ...deps, services: async () => services({ signers }) };
    const rider = await call("rider", { type: "consumer", tripId: "trip-1" });
    const driver = await call("driver", { type: "driver" });
    await verifyFleetEngineToken(rider.token, other.publicKey, {
      account: other.email,
      keyId: other.keyId,
      authorization: { tripid: "trip-1" },
      ttlSeconds: TTL,
      issuedBetween: [NOW_SECONDS, NOW_SECONDS],
    });
    await verifyFleetEngineToken(driver.token, key.publicKey, {
      account: key.email,
      keyId: key.keyId,
      authorization: { vehicleid: "v-1" },
      ttlSeconds: TTL,
      issuedBetween: [NOW_SECONDS, NOW_SECONDS],
    });
  });

  it("checks the caller's session (revocation, disabled) with the ID token's auth_time", async () => {
    await call("driver", { type: "driver" });
    expect(sessions.checked).toEqual([["driver", NOW_SECONDS]]);

    for (const reason of ["token-revoked", "user-disabled"]) {
      sessions.ended.set("driver", reason);
      logs.entries.length = 0;
      const signedBefore = signer.signed;
      const error = await failure(call("driver", { type: "driver" }));
      expect(error.clientCode).toBe("unauthenticated");
      expect(signer.signed).toBe(signedBefore);
      expect(logs.entries).toHaveLength(1);
      expect(logs.entries[0]?.payload).toMatchObject({ outcome: "denied", reason });
    }
  });

  it("skips the session lookup when CHECK_REVOKED_TOKENS is off", async () => {
    sessions.ended.set("driver", "token-revoked");
    deps = { ...deps, services: async () => services({ checkRevokedTokens: false }) };
    expect((await call("driver", { type: "driver" })).authorization).toEqual({ vehicleid: "v-1" });
    expect(sessions.checked).toEqual([]);
  });

  describe("with the token cache", () => {
    let now: number;
    let cache: TokenCache;

    beforeEach(() => {
      now = NOW;
      cache = new TokenCache({
        clock: { nowMillis: () => now },
        maxEntries: 100,
        minRemainingFraction: 0.5,
      });
      deps = {
        clock: { nowMillis: () => now },
        logs: createLogs(logs),
        services: async () => services({ cache }),
      };
    });

    it("reuses the signature and answers with the expiry of the token actually returned", async () => {
      const first = await call("rider", { type: "consumer", tripId: "trip-1" });
      now += 600_000; // ten minutes later
      const second = await call("rider", { type: "consumer", tripId: "trip-1" });
      expect(second.token).toBe(first.token);
      expect(signer.signed).toBe(1);
      expect(second.expiresAtMillis).toBe(first.expiresAtMillis);
      expect(second.expiresInSeconds).toBe(TTL - 600);
      expect(logs.entries.map((entry) => entry.payload.cached)).toEqual([false, true]);
    });

    it("still checks entitlement on a hit: a rider removed from the trip gets nothing", async () => {
      await call("rider", { type: "consumer", tripId: "trip-1" });
      const readsAfterFirst = assignments.reads;
      assignments.trips.set("trip-1", { consumerUids: ["someone-else"], status: "NEW" });
      const error = await failure(call("rider", { type: "consumer", tripId: "trip-1" }));
      expect(error.clientCode).toBe("permission-denied");
      expect(assignments.reads).toBe(readsAfterFirst + 1);
      expect(cache.size).toBe(1); // the token is cached, and still not handed out
    });

    it("still checks the session on a hit: a revoked rider gets nothing", async () => {
      await call("rider", { type: "consumer", tripId: "trip-1" });
      sessions.ended.set("rider", "token-revoked");
      const error = await failure(call("rider", { type: "consumer", tripId: "trip-1" }));
      expect(error.clientCode).toBe("unauthenticated");
    });

    it("gives two riders of one trip the same token, and a different trip a different one", async () => {
      assignments.trips.set("trip-1", { consumerUids: ["rider", "rider-2"], status: "NEW" });
      assignments.trips.set("trip-9", { consumerUids: ["rider"], status: "NEW" });
      const a = await call("rider", { type: "consumer", tripId: "trip-1" });
      const b = await call("rider-2", { type: "consumer", tripId: "trip-1" });
      const c = await call("rider", { type: "consumer", tripId: "trip-9" });
      expect(b.token).toBe(a.token);
      expect(c.token).not.toBe(a.token);
      expect(c.authorization).toEqual({ tripid: "trip-9" });
      expect(signer.signed).toBe(2);
    });
  });
});

describe("security round 2 in the handler", () => {
  it("decides operator types on the CURRENT custom claims, not the ID token's", async () => {
    // Demoted: the ID token still says fleetReader, the user record no longer does.
    sessions.claims.set("op", {});
    const demoted = await failure(call("op", { type: "fleetReader" }, { fleetReader: true }));
    expect(demoted.clientCode).toBe("permission-denied");
    expect(logs.entries[0]?.payload).toMatchObject({ reason: "missing-operator-claim" });
    expect(signer.signed).toBe(0);
    // Promoted: the user record says fleetReader before any new ID token does.
    sessions.claims.set("new-op", { fleetReader: true });
    const promoted = await call("new-op", { type: "deliveryFleetReader" });
    expect(promoted.authorization).toEqual({
      deliveryvehicleid: "*",
      taskid: "*",
      trackingid: "*",
    });
    expect(sessions.checked.map(([uid]) => uid)).toEqual(["op", "new-op"]);
  });

  it("uses the ID token's claims when CHECK_REVOKED_TOKENS is off", async () => {
    deps = { ...deps, services: async () => services({ checkRevokedTokens: false }) };
    sessions.claims.set("op", {});
    expect((await call("op", { type: "fleetReader" }, { fleetReader: true })).type).toBe(
      "fleetReader",
    );
    expect(sessions.checked).toEqual([]);
  });

  it.each([
    ["a slash path into another user's data", "victim/assignments/x"],
    ["a slash", "a/b"],
    ["a dot", "."],
    ["two dots", ".."],
    ["a reserved name", "__reserved__"],
    ["over 1,500 bytes", "é".repeat(751)],
  ])("refuses a uid that is not one document ID (%s) before any lookup", async (_, uid) => {
    for (const data of [{ type: "driver" }, { type: "consumer", tripId: "trip-1" }]) {
      logs.entries.length = 0;
      const error = await failure(call(uid, data));
      expect(error.code).toBe(ErrorCode.NotEntitled);
      expect(error.clientCode).toBe("permission-denied");
      expect(logs.entries).toHaveLength(1);
      expect(logs.entries[0]?.payload).toMatchObject({ reason: "uid-not-document-id" });
    }
    expect(assignments.reads).toBe(0);
    expect(sessions.checked).toEqual([]);
    expect(signer.signed).toBe(0);
  });

  it("refuses a disabled token type before any lookup or signature", async () => {
    deps = {
      ...deps,
      services: async () => services({ enabledTypes: ["driver", "fleetReader"] }),
    };
    for (const data of [
      { type: "consumer", tripId: "trip-1" },
      { type: "deliveryDriver" },
      { type: "deliveryFleetReader" },
    ]) {
      logs.entries.length = 0;
      const error = await failure(call("rider", data, { fleetReader: true }));
      expect(error.clientCode).toBe("permission-denied");
      expect(logs.entries).toHaveLength(1);
      expect(logs.entries[0]?.payload).toMatchObject({
        outcome: "denied",
        reason: "type-disabled",
      });
    }
    expect(assignments.reads).toBe(0);
    expect(sessions.checked).toEqual([]);
    expect(signer.signed).toBe(0);
    expect((await call("driver", { type: "driver" })).type).toBe("driver");
  });

  it("reads facts at the configured field paths", async () => {
    assignments.drivers.set("mapped", { fleet: { vehicleId: "v-9", on: true } });
    assignments.trips.set("ride-1", { riderUid: "rider", state: { fe: "ENROUTE_TO_DROPOFF" } });
    const fields = {
      driverVehicle: ["fleet", "vehicleId"],
      driverDeliveryVehicle: ["fleet", "deliveryVehicleId"],
      driverActive: ["fleet", "on"],
      tripConsumers: ["riderUid"],
      tripStatus: ["state", "fe"],
      shipmentConsumers: ["recipients"],
      taskVehicle: ["stop", "vehicle"],
      taskConsumers: ["watchers"],
    };
    deps = { ...deps, services: async () => services({ fields }) };
    expect((await call("mapped", { type: "driver" })).authorization).toEqual({
      vehicleid: "v-9",
    });
    expect((await call("rider", { type: "consumer", tripId: "ride-1" })).authorization).toEqual({
      tripid: "ride-1",
    });
    // The default names mean nothing under this mapping.
    const error = await failure(call("driver", { type: "driver" }));
    expect(logs.entries.at(-1)?.payload).toMatchObject({ reason: "no-vehicle-assigned" });
    expect(error.clientCode).toBe("permission-denied");
  });
});

describe("the session check and the read run side by side", () => {
  function gate<T>() {
    let open: (value: T) => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const promise = new Promise<T>((resolve, reject) => {
      open = resolve;
      fail = reject;
    });
    return { promise, open, fail };
  }

  it("starts the read before the session lookup has answered", async () => {
    const session = gate<Session>();
    sessions.currentSession = async (uid, authTime) => {
      sessions.checked.push([uid, authTime]);
      return session.promise;
    };
    const pending = call("driver", { type: "driver" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sessions.checked).toHaveLength(1);
    expect(assignments.reads).toBe(1); // read while the session lookup is still out
    expect(signer.signed).toBe(0); // and nothing signed before both have answered
    session.open({ customClaims: {} });
    expect((await pending).authorization).toEqual({ vehicleid: "v-1" });
    expect(signer.signed).toBe(1);
  });

  it.each([
    ["the read failing", () => Promise.reject(new TypeError("firestore down"))],
    ["the read finding nothing", async () => undefined],
    ["the read hanging", () => new Promise<never>(() => undefined)],
  ])("lets a revoked session win over %s: unauthenticated, nothing learnt", async (_, read) => {
    assignments.getDriver = read;
    sessions.ended.set("driver", "token-revoked");
    const started = Date.now();
    const error = await failure(call("driver", { type: "driver" }));
    expect(error.clientCode).toBe("unauthenticated");
    expect(Date.now() - started).toBeLessThan(1000); // not held by a hanging read
    expect(logs.entries).toHaveLength(1);
    expect(logs.entries[0]?.payload).toMatchObject({ outcome: "denied", reason: "token-revoked" });
    expect(signer.signed).toBe(0);
  });

  it("lets a disabled account win even when its session answer comes after the read's failure", async () => {
    const session = gate<Session>();
    sessions.currentSession = () => session.promise;
    assignments.getDriver = () => Promise.reject(new TypeError("firestore down"));
    const pending = failure(call("driver", { type: "driver" }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    session.fail(
      new TokenServiceError(ErrorCode.Unauthenticated, "session ended", {
        details: { reason: "user-disabled" },
      }),
    );
    const error = await pending;
    expect(error.clientCode).toBe("unauthenticated");
    expect(logs.entries).toHaveLength(1);
    expect(logs.entries[0]?.payload).toMatchObject({ reason: "user-disabled" });
  });
});

describe("one deadline for the whole call", () => {
  const never = () => new Promise<never>(() => undefined);

  it.each([
    ["the config", "config"],
    ["the Auth lookup", "auth-lookup"],
    ["the Firestore read", "firestore-read"],
    ["the signer", "dev-key"],
  ])("answers unavailable when %s hangs, naming the step in one log line", async (_, step) => {
    const base = services();
    if (step === "config") deps = { ...deps, services: never };
    if (step === "auth-lookup") sessions.currentSession = never;
    if (step === "firestore-read") assignments.getDriver = never;
    if (step === "dev-key") {
      const hanging: Signer = {
        accountEmail: (context) => context!.step("dev-key", never),
        signJwt: () => Promise.reject(new Error("must not be reached")),
      };
      deps = { ...deps, services: async () => ({ ...base, signers: { forType: () => hanging } }) };
    }
    deps = { ...deps, deadlineMs: 150 };
    const started = Date.now();
    const error = await failure(call("driver", { type: "driver" }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.clientCode).toBe("unavailable");
    expect(logs.entries).toHaveLength(1);
    expect(logs.entries[0]).toMatchObject({
      severity: "WARNING",
      payload: { outcome: "failed", reason: "deadline-exceeded", step, deadlineMs: 150 },
    });
  });

  it("never signs after the deadline, however late a wait answers", async () => {
    let release: () => void = () => undefined;
    const late = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: Signer = {
      accountEmail: async (context) => {
        await context!.step("dev-key", () => late);
        return signer.accountEmail();
      },
      signJwt: (claims, context) => signer.signJwt(claims, context),
    };
    deps = {
      ...deps,
      deadlineMs: 100,
      services: async () => services({ signers: { forType: () => slow } }),
    };
    const error = await failure(call("driver", { type: "driver" }));
    expect(error.clientCode).toBe("unavailable");
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(signer.signed).toBe(0);
    expect(logs.entries).toHaveLength(1);
  });
});
