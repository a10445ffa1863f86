import { FleetEngineTokenError, type AuthTokenFetcher } from "fleet-engine-firebase-tokens-web";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TokenWatch, type WatchState } from "../../src/token-watch.js";

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown): string =>
    Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "RS256", typ: "JWT", kid: "k" })}.${encode(claims)}.c2ln`;
}

const REQUEST = { context: { tripId: "trip-1" }, serviceType: "TRIP_SERVICE" };

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("TokenWatch", () => {
  it("asks once a second and records each distinct token once", async () => {
    const first = jwt({ iat: 1, exp: 3601, authorization: { tripid: "trip-1" } });
    const second = jwt({ iat: 31, exp: 3631, authorization: { tripid: "trip-1" } });
    const answers = [first, first, second];
    const fetcher = vi.fn<AuthTokenFetcher>(() =>
      Promise.resolve({ token: answers.shift() ?? second, expiresInSeconds: 3000 }),
    );
    const states: WatchState[] = [];
    const watch = new TokenWatch(fetcher, REQUEST, (state) => states.push(state));
    watch.start();
    await vi.advanceTimersByTimeAsync(2500);
    watch.stop();
    expect(fetcher).toHaveBeenCalledTimes(3);
    expect(fetcher).toHaveBeenCalledWith(REQUEST);
    const last = states.at(-1)!;
    expect(last.tokens.map((token) => token.number)).toEqual([1, 2]);
    expect(last.tokens[1].decoded.claims.iat).toBe(31);
    expect(last.tokens[0].authorization).toEqual({ tripid: "trip-1" });
    expect(last.expiresInSeconds).toBe(3000);
  });

  it("records the package's calls and which token each one brought", async () => {
    const first = jwt({ iat: 1 });
    const second = jwt({ iat: 31 });
    let answer = first;
    const states: WatchState[] = [];
    let watch: TokenWatch | undefined = undefined;
    const event = {
      request: { type: "consumer", tripId: "trip-1" },
      expiresInSeconds: 3600,
    } as const;
    const fetcher = vi.fn<AuthTokenFetcher>(() => {
      if (fetcher.mock.calls.length === 1 || fetcher.mock.calls.length >= 3)
        watch!.recordCall(event);
      return Promise.resolve({ token: answer, expiresInSeconds: 3600 });
    });
    watch = new TokenWatch(
      fetcher,
      REQUEST,
      (state) => states.push(state),
      () => 1000,
    );
    watch.start(); // call 1: first request, token #1
    await vi.advanceTimersByTimeAsync(1000); // a cache hit: no call
    await vi.advanceTimersByTimeAsync(1000); // call 2: a refresh that got the same token back
    answer = second;
    await vi.advanceTimersByTimeAsync(1000); // call 3: a refresh with a new token
    watch.stop();
    expect(states.at(-1)!.calls).toEqual([
      { number: 1, atMillis: 1000, expiresInSeconds: 3600, tokenNumber: 1, newToken: true },
      { number: 2, atMillis: 1000, expiresInSeconds: 3600, tokenNumber: 1, newToken: false },
      { number: 3, atMillis: 1000, expiresInSeconds: 3600, tokenNumber: 2, newToken: true },
    ]);
    expect(states.at(-1)!.tokens).toHaveLength(2);
  });

  it("stops at the first error and reports its code", async () => {
    const fetcher = vi.fn<AuthTokenFetcher>(() =>
      Promise.reject(new FleetEngineTokenError("permission-denied", "Not yours.")),
    );
    const states: WatchState[] = [];
    const watch = new TokenWatch(fetcher, REQUEST, (state) => states.push(state));
    watch.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(watch.running).toBe(false);
    expect(states.at(-1)!.error).toEqual({ code: "permission-denied", message: "Not yours." });
  });

  it("does not overlap: a slow fetch holds the next tick", async () => {
    let release: (() => void) | undefined;
    const fetcher = vi.fn<AuthTokenFetcher>(
      () =>
        new Promise((resolve) => {
          release = () => resolve({ token: jwt({ iat: 1 }), expiresInSeconds: 3600 });
        }),
    );
    const watch = new TokenWatch(fetcher, REQUEST, () => undefined);
    watch.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(fetcher).toHaveBeenCalledTimes(1);
    release!();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetcher).toHaveBeenCalledTimes(2);
    watch.stop();
  });
});
