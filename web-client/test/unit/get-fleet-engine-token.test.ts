import { initializeApp, type FirebaseApp } from "firebase/app";
import { CustomProvider, initializeAppCheck } from "firebase/app-check";
import { connectFunctionsEmulator, getFunctions, type Functions } from "firebase/functions";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAuthTokenFetcher } from "../../src/auth-token-fetcher.js";
import { getFleetEngineToken } from "../../src/get-fleet-engine-token.js";
import { FakeCallableServer } from "../support/fake-callable-server.js";
import { consumerResponse } from "../support/tokens.js";

/**
 * The real firebase SDK (callable protocol, App Check headers, timeouts) against a fake
 * callable on 127.0.0.1: what the wrapper sends, and how it reads every kind of answer.
 */

const PROJECT = "demo-unit";
let fake: FakeCallableServer;
let app: FirebaseApp;
let functions: Functions;
let appCheckTokensMade = 0;

beforeAll(async () => {
  fake = await FakeCallableServer.start();
  app = initializeApp({ projectId: PROJECT, apiKey: "k", appId: "1:1:web:1" }, "fake-server");
  initializeAppCheck(app, {
    provider: new CustomProvider({
      getToken: () => {
        appCheckTokensMade += 1;
        return Promise.resolve({
          token: `app-check-${appCheckTokensMade}`,
          expireTimeMillis: Date.now() + 3_600_000,
        });
      },
    }),
    isTokenAutoRefreshEnabled: false,
  });
  functions = getFunctions(app, "us-central1");
  connectFunctionsEmulator(functions, "127.0.0.1", fake.port);
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.calls.length = 0;
});

describe("getFleetEngineToken", () => {
  it("posts the request as the callable's data to getFleetEngineToken in us-central1", async () => {
    const answer = consumerResponse("trip-1");
    fake.respondWith(answer);
    const response = await getFleetEngineToken(functions, { type: "consumer", tripId: "trip-1" });
    expect(response).toEqual(answer);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0].url).toBe(`/${PROJECT}/us-central1/getFleetEngineToken`);
    expect(fake.calls[0].body).toEqual({ data: { type: "consumer", tripId: "trip-1" } });
    expect(fake.calls[0].headers["x-firebase-appcheck"]).toMatch(/^app-check-\d+$/);
  });

  it("calls the callable by functionName: a function kit instance's name", async () => {
    fake.respondWith(consumerResponse("trip-1"));
    const functionName = "kit-fleet-engine-firebase-tokens-getFleetEngineToken";
    await getFleetEngineToken(functions, { type: "consumer", tripId: "trip-1" }, { functionName });
    expect(fake.calls.map((call) => call.url)).toEqual([`/${PROJECT}/us-central1/${functionName}`]);
  });

  it.each(["", "a/b", "getFleetEngineToken?x=1", 7])(
    "refuses functionName %j with invalid-argument, without calling",
    async (functionName) => {
      fake.respondWith(consumerResponse("trip-1"));
      await expect(
        getFleetEngineToken(
          functions,
          { type: "consumer", tripId: "trip-1" },
          { functionName: functionName as string },
        ),
      ).rejects.toMatchObject({ name: "FleetEngineTokenError", code: "invalid-argument" });
      expect(fake.calls).toHaveLength(0);
    },
  );

  it.each([
    ["PERMISSION_DENIED", 403, "permission-denied"],
    ["UNAUTHENTICATED", 401, "unauthenticated"],
    ["INVALID_ARGUMENT", 400, "invalid-argument"],
    ["UNAVAILABLE", 503, "unavailable"],
    ["FAILED_PRECONDITION", 400, "failed-precondition"],
  ])(
    "turns a %s answer (HTTP %i) into a FleetEngineTokenError with code %s",
    async (status, http, code) => {
      fake.failWith(status, http, "The service's own words.");
      await expect(
        getFleetEngineToken(functions, { type: "consumer", tripId: "trip-2" }),
      ).rejects.toMatchObject({
        name: "FleetEngineTokenError",
        code,
        // The SDK appends the HTTP status: "The service's own words. [403]".
        message: expect.stringContaining("The service's own words.") as unknown,
      });
    },
  );

  it("refuses an answer in milliseconds as invalid-response", async () => {
    fake.respondWith({ ...consumerResponse("trip-1"), expiresInSeconds: 3_600_000 });
    await expect(
      getFleetEngineToken(functions, { type: "consumer", tripId: "trip-1" }),
    ).rejects.toMatchObject({ code: "invalid-response" });
  });

  it("gives up after timeoutMillis with deadline-exceeded", async () => {
    fake.answer = "hang";
    await expect(
      getFleetEngineToken(
        functions,
        { type: "consumer", tripId: "trip-1" },
        { timeoutMillis: 200 },
      ),
    ).rejects.toMatchObject({ code: "deadline-exceeded" });
  });

  it("asks App Check for a fresh limited-use token per call when told to", async () => {
    fake.respondWith(consumerResponse("trip-1"));
    const request = { type: "consumer", tripId: "trip-1" } as const;
    await getFleetEngineToken(functions, request); // the cached, regular App Check token
    const before = appCheckTokensMade;
    await getFleetEngineToken(functions, request);
    expect(appCheckTokensMade).toBe(before);
    await getFleetEngineToken(functions, request, { limitedUseAppCheckTokens: true });
    await getFleetEngineToken(functions, request, { limitedUseAppCheckTokens: true });
    expect(appCheckTokensMade).toBe(before + 2);
    expect(fake.calls.at(-1)!.headers["x-firebase-appcheck"]).toBe(`app-check-${before + 2}`);
  });
});

describe("createAuthTokenFetcher over the real SDK", () => {
  it("calls the callable by the functionName it was given", async () => {
    fake.respondWith(consumerResponse("trip-9"));
    const fetcher = createAuthTokenFetcher(functions, {
      type: "consumer",
      functionName: "kit-my-instance-getFleetEngineToken",
    });
    await fetcher({ context: { tripId: "trip-9" }, serviceType: "TRIP_SERVICE" });
    expect(fake.calls.map((call) => call.url)).toEqual([
      `/${PROJECT}/us-central1/kit-my-instance-getFleetEngineToken`,
    ]);
  });

  it("passes limitedUseAppCheckTokens through to every call it makes", async () => {
    fake.respondWith(consumerResponse("trip-9"));
    const fetcher = createAuthTokenFetcher(functions, {
      type: "consumer",
      limitedUseAppCheckTokens: true,
    });
    const before = appCheckTokensMade;
    const { token, expiresInSeconds } = await fetcher({
      context: { tripId: "trip-9" },
      serviceType: "TRIP_SERVICE",
    });
    expect(token).toBe(consumerResponse("trip-9").token);
    expect(expiresInSeconds).toBeGreaterThan(3590);
    expect(appCheckTokensMade).toBe(before + 1);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0].body).toEqual({ data: { type: "consumer", tripId: "trip-9" } });
  });
});
