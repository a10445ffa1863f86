import { initializeApp } from "firebase/app";
import { FunctionsError, getFunctions } from "firebase/functions";
import { describe, expect, it, vi } from "vitest";
import {
  buildAuthTokenFetcher,
  createAuthTokenFetcher,
  type TokenFetchedEvent,
} from "../../src/auth-token-fetcher.js";
import { FleetEngineTokenError } from "../../src/errors.js";
import type { FleetEngineTokenRequest, TokenType } from "../../src/token-types.js";
import { FakeClock } from "../support/fake-clock.js";

function setup(type: TokenType, refreshWindowSeconds = 300) {
  const clock = new FakeClock();
  let uid: string | undefined = "rider-uid";
  let minted = 0;
  const call = vi.fn((_request: FleetEngineTokenRequest) =>
    Promise.resolve({ token: `jwt-${++minted}`, expiresInSeconds: 3600 }),
  );
  const onTokenFetched = vi.fn<(event: TokenFetchedEvent) => void>();
  const fetcher = buildAuthTokenFetcher({
    type,
    refreshWindowSeconds,
    call,
    currentUid: () => uid,
    now: clock.now,
    onTokenFetched,
  });
  return {
    clock,
    call,
    fetcher,
    onTokenFetched,
    signInAs(next: string | undefined) {
      uid = next;
    },
  };
}

const TRIP = "TRIP_SERVICE";
const tripContext = (tripId: string) => ({ context: { tripId }, serviceType: TRIP });

describe("the authTokenFetcher", () => {
  it("returns exactly { token, expiresInSeconds } with the seconds left", async () => {
    const { clock, fetcher } = setup("consumer");
    expect(await fetcher({ context: { tripId: "trip-1" }, serviceType: TRIP })).toStrictEqual({
      token: "jwt-1",
      expiresInSeconds: 3600,
    });
    clock.advanceSeconds(60);
    expect(await fetcher({ context: { tripId: "trip-1" }, serviceType: TRIP })).toStrictEqual({
      token: "jwt-1",
      expiresInSeconds: 3540,
    });
  });

  it("puts the context's ID of its type into the request", async () => {
    const { call, fetcher } = setup("deliveryConsumer");
    await fetcher({
      context: { trackingId: "shipment-1", taskId: "task-1" },
      serviceType: "TASK_SERVICE",
    });
    expect(call).toHaveBeenCalledWith({ type: "deliveryConsumer", trackingId: "shipment-1" });
  });

  it("asks for a recipient's task when the context has a task and no tracking ID", async () => {
    const { call, fetcher } = setup("deliveryConsumer");
    await fetcher({ context: { taskId: "task-1" }, serviceType: "TASK_SERVICE" });
    expect(call).toHaveBeenCalledWith({ type: "deliveryConsumer", taskId: "task-1" });
  });

  it("passes a trusted driver's task with the vehicle, one token per task", async () => {
    const { call, fetcher } = setup("trustedDeliveryDriver");
    const context = (taskId?: string) => ({
      context: { deliveryVehicleId: "dv-1", ...(taskId === undefined ? {} : { taskId }) },
      serviceType: "TASK_SERVICE",
    });
    const one = await fetcher(context("task-1"));
    const two = await fetcher(context("task-2"));
    const vehicleOnly = await fetcher(context());
    expect((await fetcher(context("task-1"))).token).toBe(one.token);
    expect(new Set([one.token, two.token, vehicleOnly.token]).size).toBe(3);
    expect(call.mock.calls.map(([request]) => request)).toEqual([
      { type: "trustedDeliveryDriver", deliveryVehicleId: "dv-1", taskId: "task-1" },
      { type: "trustedDeliveryDriver", deliveryVehicleId: "dv-1", taskId: "task-2" },
      { type: "trustedDeliveryDriver", deliveryVehicleId: "dv-1" },
    ]);
  });

  it("caches per token type and ID", async () => {
    const { call, fetcher } = setup("consumer");
    const one = await fetcher({ context: { tripId: "trip-1" }, serviceType: TRIP });
    const two = await fetcher({ context: { tripId: "trip-2" }, serviceType: TRIP });
    const oneAgain = await fetcher({ context: { tripId: "trip-1" }, serviceType: TRIP });
    expect(one.token).not.toBe(two.token);
    expect(oneAgain.token).toBe(one.token);
    expect(call).toHaveBeenCalledTimes(2);
  });

  it("refreshes when less than the window remains, by the fake clock", async () => {
    const { clock, call, fetcher } = setup("driver", 600);
    await fetcher({ context: { vehicleId: "v-1" }, serviceType: "UNKNOWN_SERVICE" });
    clock.advanceSeconds(2999);
    expect((await fetcher({ context: { vehicleId: "v-1" }, serviceType: "X" })).token).toBe(
      "jwt-1",
    );
    clock.advanceSeconds(1);
    expect((await fetcher({ context: { vehicleId: "v-1" }, serviceType: "X" })).token).toBe(
      "jwt-2",
    );
    expect(call).toHaveBeenCalledTimes(2);
  });

  it("shares one call between concurrent callers", async () => {
    const { call, fetcher } = setup("fleetReader");
    const results = await Promise.all(
      [{ vehicleId: "a" }, { tripId: "b" }, {}].map((context) =>
        fetcher({ context, serviceType: TRIP }),
      ),
    );
    expect(new Set(results.map((result) => result.token))).toEqual(new Set(["jwt-1"]));
    expect(call).toHaveBeenCalledTimes(1);
    expect(call).toHaveBeenCalledWith({ type: "fleetReader" });
  });

  it("never hands one user's cached token to the next user", async () => {
    const { call, fetcher, signInAs } = setup("consumer");
    const context = { tripId: "trip-1" };
    const rider = await fetcher({ context, serviceType: TRIP });
    signInAs("someone-else");
    const other = await fetcher({ context, serviceType: TRIP });
    signInAs("rider-uid");
    const riderAgain = await fetcher({ context, serviceType: TRIP });
    expect(other.token).not.toBe(rider.token);
    expect(riderAgain.token).not.toBe(rider.token); // the cache was emptied at the switch
    expect(call).toHaveBeenCalledTimes(3);
  });

  it("turns callable failures into a FleetEngineTokenError that keeps the code", async () => {
    const { call, fetcher } = setup("consumer");
    call.mockRejectedValueOnce(new FunctionsError("permission-denied", "Not yours."));
    const failure = fetcher({ context: { tripId: "trip-2" }, serviceType: TRIP });
    await expect(failure).rejects.toBeInstanceOf(FleetEngineTokenError);
    await expect(failure).rejects.toMatchObject({
      code: "permission-denied",
      message: "Not yours.",
    });
  });

  it("tells onTokenFetched about each call, never about cache hits, and never the token", async () => {
    const { clock, call, fetcher, onTokenFetched } = setup("consumer");
    await fetcher(tripContext("trip-1"));
    await fetcher(tripContext("trip-1")); // cache hit
    clock.advanceSeconds(3300); // inside the refresh window
    await fetcher(tripContext("trip-1"));
    call.mockRejectedValueOnce(new FunctionsError("unavailable", "down"));
    await expect(fetcher(tripContext("trip-2"))).rejects.toMatchObject({ code: "unavailable" });
    expect(onTokenFetched.mock.calls).toEqual([
      [{ request: { type: "consumer", tripId: "trip-1" }, expiresInSeconds: 3600 }],
      [{ request: { type: "consumer", tripId: "trip-1" }, expiresInSeconds: 3600 }],
    ]);
  });

  it("hands out the token even when onTokenFetched throws", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      const { fetcher, onTokenFetched } = setup("consumer");
      onTokenFetched.mockImplementation(() => {
        throw new Error("listener bug");
      });
      expect((await fetcher(tripContext("trip-1"))).token).toBe("jwt-1");
      // The listener's error is rethrown on a later tick, outside the token's path.
      expect(() => vi.runAllTimers()).toThrow("listener bug");
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a context without the ID its type needs, without calling", async () => {
    const { call, fetcher } = setup("consumer");
    await expect(fetcher({ context: {}, serviceType: TRIP })).rejects.toMatchObject({
      name: "FleetEngineTokenError",
      code: "invalid-argument",
    });
    expect(call).not.toHaveBeenCalled();
  });
});

describe("createAuthTokenFetcher", () => {
  const functions = getFunctions(
    initializeApp({ projectId: "demo-unit", apiKey: "k", appId: "1:1:web:1" }, "options-test"),
    "us-central1",
  );

  it("refuses an unknown token type", () => {
    expect(() => createAuthTokenFetcher(functions, { type: "server" as TokenType })).toThrow(
      TypeError,
    );
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses refreshWindowSeconds %s",
    (refreshWindowSeconds) => {
      expect(() =>
        createAuthTokenFetcher(functions, { type: "consumer", refreshWindowSeconds }),
      ).toThrow(RangeError);
    },
  );

  it.each(["", "a/b", "../getFleetEngineToken", "9lives", "x".repeat(64), 42])(
    "refuses functionName %j, which no callable can have",
    (functionName) => {
      expect(() =>
        createAuthTokenFetcher(functions, {
          type: "consumer",
          functionName: functionName as string,
        }),
      ).toThrow(/functionName must be a callable's name/);
    },
  );

  it("returns a function of one argument, as the Maps JavaScript libraries expect", () => {
    const fetcher = createAuthTokenFetcher(functions, { type: "consumer" });
    expect(typeof fetcher).toBe("function");
    expect(fetcher.length).toBe(1);
  });
});
