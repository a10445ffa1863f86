import { describe, expect, it, vi } from "vitest";
import { FleetEngineTokenError } from "../../src/errors.js";
import { TokenCache, type FetchedToken } from "../../src/token-cache.js";
import { deferred, FakeClock } from "../support/fake-clock.js";

const WINDOW_SECONDS = 300;

function setup(windowSeconds = WINDOW_SECONDS) {
  const clock = new FakeClock();
  const cache = new TokenCache({ refreshWindowMillis: windowSeconds * 1000, now: clock.now });
  let minted = 0;
  const mint = (lifetimeSeconds = 3600): Promise<FetchedToken> =>
    Promise.resolve({ token: `token-${++minted}`, expiresInSeconds: lifetimeSeconds });
  const fetch = vi.fn(mint);
  return { clock, cache, fetch };
}

describe("TokenCache", () => {
  it("fetches once, then serves the cached token with its REMAINING seconds", async () => {
    const { clock, cache, fetch } = setup();
    expect(await cache.get("k", () => fetch())).toEqual({
      token: "token-1",
      expiresInSeconds: 3600,
    });
    clock.advanceSeconds(1000);
    expect(await cache.get("k", () => fetch())).toEqual({
      token: "token-1",
      expiresInSeconds: 2600,
    });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("refreshes once no more than the refresh window remains, not before", async () => {
    const { clock, cache, fetch } = setup();
    await cache.get("k", () => fetch());
    clock.advanceSeconds(3600 - WINDOW_SECONDS - 1); // 301 s left
    expect(await cache.get("k", () => fetch())).toEqual({
      token: "token-1",
      expiresInSeconds: 301,
    });
    clock.advanceSeconds(1); // 300 s left: inside the window
    expect(await cache.get("k", () => fetch())).toEqual({
      token: "token-2",
      expiresInSeconds: 3600,
    });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("never hands out less than the refresh window of life while the service is healthy", async () => {
    const { clock, cache, fetch } = setup();
    for (let second = 0; second < 3 * 3600; second += 7) {
      const { expiresInSeconds } = await cache.get("k", () => fetch());
      expect(expiresInSeconds).toBeGreaterThan(WINDOW_SECONDS);
      clock.advanceSeconds(7);
    }
    expect(fetch).toHaveBeenCalledTimes(4); // every 3300 s over three hours
  });

  it("keeps tokens apart by key", async () => {
    const { cache, fetch } = setup();
    const a = await cache.get("consumer:trip-1", () => fetch());
    const b = await cache.get("consumer:trip-2", () => fetch());
    expect(a.token).not.toBe(b.token);
    expect((await cache.get("consumer:trip-1", () => fetch())).token).toBe(a.token);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("shares one in-flight fetch between concurrent callers", async () => {
    const { cache } = setup();
    const pending = deferred<FetchedToken>();
    const fetch = vi.fn(() => pending.promise);
    const callers = [1, 2, 3].map(() => cache.get("k", fetch));
    expect(fetch).toHaveBeenCalledTimes(1);
    pending.resolve({ token: "shared", expiresInSeconds: 3600 });
    const results = await Promise.all(callers);
    expect(results.map((result) => result.token)).toEqual(["shared", "shared", "shared"]);
  });

  it("rejects every waiter when the shared fetch fails, and tries again on the next call", async () => {
    const { cache, fetch } = setup();
    const pending = deferred<FetchedToken>();
    const failing = vi.fn(() => pending.promise);
    const callers = [cache.get("k", failing), cache.get("k", failing)];
    pending.reject(new FleetEngineTokenError("unavailable", "try later"));
    for (const caller of callers) {
      await expect(caller).rejects.toMatchObject({ code: "unavailable" });
    }
    expect(failing).toHaveBeenCalledTimes(1);
    expect((await cache.get("k", () => fetch())).token).toBe("token-1");
  });

  it("does not serve a stale token while its refresh fails", async () => {
    const { clock, cache, fetch } = setup();
    await cache.get("k", () => fetch());
    clock.advanceSeconds(3400); // inside the window
    const failing = () => Promise.reject(new FleetEngineTokenError("unavailable", "down"));
    await expect(cache.get("k", failing)).rejects.toMatchObject({ code: "unavailable" });
    expect((await cache.get("k", () => fetch())).token).toBe("token-2");
  });

  it("counts expiry from the moment the fetch started, so a slow answer errs early", async () => {
    const { clock, cache } = setup();
    const pending = deferred<FetchedToken>();
    const result = cache.get("k", () => pending.promise);
    clock.advanceSeconds(10); // the call takes 10 s
    pending.resolve({ token: "slow", expiresInSeconds: 3600 });
    expect(await result).toEqual({ token: "slow", expiresInSeconds: 3590 });
  });

  it("never returns a token that is already expired", async () => {
    const { cache } = setup();
    const expired = () => Promise.resolve({ token: "dead", expiresInSeconds: 0 });
    await expect(cache.get("k", expired)).rejects.toBeInstanceOf(FleetEngineTokenError);
    await expect(cache.get("k", expired)).rejects.toMatchObject({ code: "invalid-response" });
  });

  it("refuses a token whose life ran out while it was being fetched", async () => {
    const { clock, cache } = setup();
    const pending = deferred<FetchedToken>();
    const result = cache.get("k", () => pending.promise);
    clock.advanceSeconds(400);
    pending.resolve({ token: "late", expiresInSeconds: 300 });
    await expect(result).rejects.toMatchObject({ code: "invalid-response" });
  });

  it("with a window of 0, refetches instead of handing out the token's last second", async () => {
    const { clock, cache, fetch } = setup(0);
    await cache.get("k", () => fetch(300));
    clock.advanceSeconds(299.5);
    expect(await cache.get("k", () => fetch(300))).toEqual({
      token: "token-2",
      expiresInSeconds: 300,
    });
  });

  it("uses a token shorter-lived than the window until half its life, not a fetch per call", async () => {
    const { clock, cache, fetch } = setup(600);
    await cache.get("k", () => fetch(300)); // the service's minimum lifetime
    clock.advanceSeconds(149);
    expect(await cache.get("k", () => fetch(300))).toEqual({
      token: "token-1",
      expiresInSeconds: 151,
    });
    clock.advanceSeconds(1);
    expect((await cache.get("k", () => fetch(300))).token).toBe("token-2");
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("forgets everything on clear()", async () => {
    const { cache, fetch } = setup();
    await cache.get("k", () => fetch());
    cache.clear();
    expect((await cache.get("k", () => fetch())).token).toBe("token-2");
  });
});
