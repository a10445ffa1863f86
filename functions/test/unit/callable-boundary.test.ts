import functionsTest from "firebase-functions-test";
import type { CallableRequest } from "firebase-functions/https";
import { HttpsError } from "firebase-functions/https";
import { afterAll, describe, expect, it } from "vitest";
import { createTokenCallable } from "../../src/callable.js";
import type { CallableSettings } from "../../src/config/index.js";
import { ErrorCode, TokenServiceError } from "../../src/errors.js";
import type { HandlerDeps, Services, TokenResponse } from "../../src/handler.js";
import { createLogs } from "../../src/logs.js";
import { DevKeySigner, EMULATOR_ENV } from "../../src/signing/dev-key-signer.js";
import type { Signer } from "../../src/signing/signer.js";
import { CapturedLogs } from "../support/capture-logs.js";
import { createThrowawayKey } from "../support/keys.js";
import { MemoryAssignments } from "../support/memory-assignments.js";
import { nowSeconds, verifyFleetEngineToken } from "../support/verify.js";

/**
 * The callable's boundary (callable.ts) driven the way Firebase users test callables: with
 * firebase-functions-test's wrap(), which runs the v2 callable with an auth and an App Check
 * context. wrap() skips what the framework does before the handler (ID and App Check token
 * verification, enforcement, CORS, the wire format): callable.test.ts and the emulator suites
 * cover those over HTTP. What it shows here is every HttpsError the boundary can produce, and
 * a token, from the same callable.
 */
const test = functionsTest({ projectId: "demo-test" });
afterAll(() => test.cleanup());

const key = createThrowawayKey("boundary@demo-test.iam.gserviceaccount.com");
const TTL_SECONDS = 600;
const SETTINGS: CallableSettings = {
  enforceAppCheck: true,
  consumeAppCheckToken: true,
  cors: true,
};
const RIDER = "rider-1";

/** The request wrap() hands the callable: data, and the caller's auth and App Check contexts. */
function request(
  data: unknown,
  context: { uid?: string; appCheck?: { alreadyConsumed?: boolean } } = {},
): CallableRequest {
  const now = nowSeconds();
  return {
    data,
    acceptsStreaming: false,
    rawRequest: {} as CallableRequest["rawRequest"],
    auth:
      context.uid === undefined
        ? undefined
        : ({
            uid: context.uid,
            token: { uid: context.uid, auth_time: now, iat: now, exp: now + 3600 },
            rawToken: "not-verified-by-wrap",
          } as unknown as CallableRequest["auth"]),
    app: {
      appId: "1:000000000000:web:0000000000000000000000",
      token: { app_id: "1:000000000000:web:0000000000000000000000" },
      alreadyConsumed: context.appCheck?.alreadyConsumed ?? false,
    } as unknown as CallableRequest["app"],
  };
}

interface Boundary {
  call(request: CallableRequest): Promise<TokenResponse>;
  logs: CapturedLogs;
}

/** The real callable over injected services, wrapped by firebase-functions-test. */
function boundary(
  overrides: Partial<Services> & { services?: () => Promise<Services> } = {},
): Boundary {
  const assignments = new MemoryAssignments();
  assignments.trips.set("trip-1", { consumerUids: [RIDER], status: "ENROUTE_TO_PICKUP" });
  const signer = new DevKeySigner(key.file, EMULATOR_ENV);
  const logs = new CapturedLogs();
  const services: Services = {
    ttlSeconds: TTL_SECONDS,
    checkRevokedTokens: false,
    sessions: { currentSession: async () => ({ customClaims: {} }) },
    assignments,
    signers: { forType: () => signer },
    ...overrides,
  };
  const deps: HandlerDeps = {
    clock: { nowMillis: () => Date.now() },
    logs: createLogs(logs),
    services: overrides.services ?? (async () => services),
  };
  const wrapped = test.wrap(createTokenCallable(SETTINGS, async () => deps));
  return {
    call: async (req: CallableRequest): Promise<TokenResponse> => await wrapped(req),
    logs,
  };
}

async function refusal(answer: Promise<unknown>): Promise<HttpsError> {
  const error = await answer.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(HttpsError);
  return error as HttpsError;
}

const CONSUMER_TRIP_1 = { type: "consumer", tripId: "trip-1" };

describe("the callable under firebase-functions-test's wrap()", () => {
  it("answers a signed-in caller with an App Check context with a verifiable token", async () => {
    const calledAt = nowSeconds();
    const answer = await boundary().call(request(CONSUMER_TRIP_1, { uid: RIDER }));
    expect(answer).toMatchObject({
      type: "consumer",
      authorization: { tripid: "trip-1" },
      expiresInSeconds: expect.any(Number) as number,
    });
    expect(answer.expiresInSeconds).toBeGreaterThan(TTL_SECONDS - 5);
    expect(answer.expiresInSeconds).toBeLessThanOrEqual(TTL_SECONDS);
    await verifyFleetEngineToken(answer.token, key.publicKey, {
      account: key.email,
      keyId: key.keyId,
      authorization: { tripid: "trip-1" },
      ttlSeconds: TTL_SECONDS,
      issuedBetween: [calledAt - 1, nowSeconds() + 1],
    });
  });

  it("refuses a caller without auth context as unauthenticated, before reading anything", async () => {
    const assignments = new MemoryAssignments();
    const { call, logs } = boundary({ assignments });
    const error = await refusal(call(request(CONSUMER_TRIP_1)));
    expect(error.code).toBe("unauthenticated");
    expect(error.message).toBe("Sign in to get a Fleet Engine token.");
    expect(error.details).toBeUndefined();
    expect(assignments.reads).toBe(0);
    expect(logs.entries.map((entry) => entry.payload.reason)).toEqual(["no-auth"]);
  });

  it("refuses a replayed App Check token (replay protection on) as unauthenticated", async () => {
    const assignments = new MemoryAssignments();
    const { call, logs } = boundary({ assignments });
    const error = await refusal(
      call(request(CONSUMER_TRIP_1, { uid: RIDER, appCheck: { alreadyConsumed: true } })),
    );
    expect(error.code).toBe("unauthenticated");
    expect(error.message).toBe("Sign in to get a Fleet Engine token.");
    expect(assignments.reads).toBe(0);
    expect(logs.entries.map((entry) => entry.payload.reason)).toEqual(["app-check-token-replayed"]);
  });

  it("maps an invalid request to invalid-argument naming the field, and nothing more", async () => {
    const error = await refusal(boundary().call(request({ type: "consumer" }, { uid: RIDER })));
    expect(error.code).toBe("invalid-argument");
    expect(error.message).toMatch(/^tripId is required for type consumer/);
    expect(error.details).toBeUndefined();
  });

  it("maps every 'not yours' to the one uniform permission-denied", async () => {
    const { call } = boundary();
    for (const data of [
      { type: "consumer", tripId: "someone-elses-trip" },
      { type: "driver" },
      { type: "fleetReader" },
    ]) {
      const error = await refusal(call(request(data, { uid: RIDER })));
      expect(error.code).toBe("permission-denied");
      expect(error.message).toBe("You are not allowed to get this Fleet Engine token.");
      expect(error.details).toBeUndefined();
    }
  });

  const failures = [
    {
      what: "Firestore or IAM down",
      thrown: new TokenServiceError(ErrorCode.BackendUnavailable, "Firestore read: 503 at x"),
      code: "unavailable",
      message: "The token service is temporarily unavailable. Try again.",
    },
    {
      what: "a bad param",
      thrown: new TokenServiceError(ErrorCode.Misconfigured, "TRIPS_COLLECTION is invalid: a/b"),
      code: "failed-precondition",
      message: "The token service is not configured correctly. Contact its operator.",
    },
    {
      what: "a bug",
      thrown: new Error("TypeError at secret-path.ts:12"),
      code: "internal",
      message: "Internal error.",
    },
  ];

  it.each(failures)(
    "maps $what to $code with a fixed message that carries no detail",
    async ({ thrown, code, message }) => {
      const error = await refusal(
        boundary({ services: () => Promise.reject(thrown) }).call(
          request(CONSUMER_TRIP_1, { uid: RIDER }),
        ),
      );
      expect(error.code).toBe(code);
      expect(error.message).toBe(message);
      expect(error.details).toBeUndefined();
    },
  );

  it("maps IAM answering something other than the token asked for to internal", async () => {
    const lying: Signer = {
      accountEmail: async () => key.email,
      signJwt: () =>
        Promise.reject(
          new TokenServiceError(ErrorCode.SigningFailed, "IAM signJwt answer rejected: kid"),
        ),
    };
    const error = await refusal(
      boundary({ signers: { forType: () => lying } }).call(
        request(CONSUMER_TRIP_1, { uid: RIDER }),
      ),
    );
    expect(error.code).toBe("internal");
    expect(error.message).toBe("The token could not be signed.");
    expect(error.details).toBeUndefined();
  });
});
