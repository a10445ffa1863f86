import { beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.js";
import { TokenCache } from "../../src/cache/token-cache.js";
import { ErrorCode, TokenServiceError } from "../../src/errors.js";
import {
  handleGetFleetEngineToken,
  type HandlerDeps,
  type Services,
  type TokenCallRequest,
} from "../../src/handler.js";
import type { IdTokenVerifier } from "../../src/identity/id-token-verifier.js";
import { createLogs } from "../../src/logs.js";
import { DevKeySigner } from "../../src/signing/dev-key-signer.js";
import type { Signer, SignerSet } from "../../src/signing/signer.js";
import type { FleetEngineClaims } from "../../src/token/claims.js";
import { CapturedLogs } from "../support/capture-logs.js";
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
  accountEmail(): Promise<string> {
    return this.inner.accountEmail();
  }
  signJwt(claims: FleetEngineClaims): Promise<string> {
    this.signed++;
    return this.inner.signJwt(claims);
  }
}

const key: ThrowawayKey = createThrowawayKey("handler@demo-test.iam.gserviceaccount.com");
let signer: CountingSigner;
let assignments: MemoryAssignments;
let logs: CapturedLogs;
let deps: HandlerDeps;
let idTokens: RecordingIdTokens;

/** Records what it was asked; `ended` sessions are refused the way firebase-admin refuses them. */
class RecordingIdTokens implements IdTokenVerifier {
  readonly checked: [string, string][] = [];
  readonly ended = new Map<string, string>();
  async assertSessionActive(rawToken: string, uid: string): Promise<void> {
    this.checked.push([rawToken, uid]);
    const reason = this.ended.get(uid);
    if (reason !== undefined) {
      throw new TokenServiceError(ErrorCode.Unauthenticated, "session ended", {
        details: { reason },
      });
    }
  }
}

beforeEach(() => {
  signer = new CountingSigner(new DevKeySigner(key.file, { FUNCTIONS_EMULATOR: "true" }));
  assignments = new MemoryAssignments();
  assignments.drivers.set("driver", { vehicleId: "v-1", deliveryVehicleId: "dv-1", active: true });
  assignments.trips.set("trip-1", { consumerUids: ["rider"], status: "NEW" });
  assignments.trips.set("trip-done", { consumerUids: ["rider"], status: "COMPLETE" });
  assignments.shipments.set("track-1", { consumerUids: ["rider"] });
  logs = new CapturedLogs();
  idTokens = new RecordingIdTokens();
  deps = { clock, logs: createLogs(logs), services: async () => services() };
});

/** The services of these tests (revocation checked, one signer, no cache), with `changes`. */
function services(changes: Partial<Services> = {}): Services {
  return {
    ttlSeconds: TTL,
    assignments,
    signers: { forType: () => signer },
    checkRevokedTokens: true,
    idTokens,
    ...changes,
  };
}

function call(uid: string | undefined, data: unknown, claims: Record<string, unknown> = {}) {
  const request: TokenCallRequest = {
    data,
    auth:
      uid === undefined ? undefined : { uid, token: { uid, ...claims }, rawToken: `raw-${uid}` },
  };
  return handleGetFleetEngineToken(request, deps);
}

async function failure(promise: Promise<unknown>): Promise<TokenServiceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenServiceError);
  return error as TokenServiceError;
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
    const consumerSigner = new DevKeySigner(other.file, { FUNCTIONS_EMULATOR: "true" });
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

  it("checks the caller's session (revocation, disabled) with the raw ID token before anything else", async () => {
    await call("driver", { type: "driver" });
    expect(idTokens.checked).toEqual([["raw-driver", "driver"]]);

    for (const reason of ["token-revoked", "user-disabled"]) {
      idTokens.ended.set("driver", reason);
      logs.entries.length = 0;
      const readsBefore = assignments.reads;
      const signedBefore = signer.signed;
      const error = await failure(call("driver", { type: "driver" }));
      expect(error.clientCode).toBe("unauthenticated");
      expect(assignments.reads).toBe(readsBefore); // no Firestore read for a dead session
      expect(signer.signed).toBe(signedBefore);
      expect(logs.entries).toHaveLength(1);
      expect(logs.entries[0]?.payload).toMatchObject({ outcome: "denied", reason });
    }
  });

  it("skips the session lookup when CHECK_REVOKED_TOKENS is off", async () => {
    idTokens.ended.set("driver", "token-revoked");
    deps = { ...deps, services: async () => services({ checkRevokedTokens: false }) };
    expect((await call("driver", { type: "driver" })).authorization).toEqual({ vehicleid: "v-1" });
    expect(idTokens.checked).toEqual([]);
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
      idTokens.ended.set("rider", "token-revoked");
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
