import { describe, expect, it } from "vitest";
import {
  MIN_REMAINING_SECONDS,
  TokenCache,
  type SignedToken,
} from "../../../src/cache/token-cache.js";
import { CallDeadline, type CallContext } from "../../../src/deadline.js";
import { TokenServiceError } from "../../../src/errors.js";

const T0 = 1_800_000_000; // seconds

/** A clock the test moves by hand. */
function pinnedClock(seconds = T0) {
  const clock = { now: seconds, nowMillis: () => clock.now * 1000 };
  return clock;
}

/** A signer that counts its calls and issues `ttl`-second tokens at the clock's time. */
function countingSigner(clock: { now: number }, ttl = 3600) {
  const signer = {
    calls: 0,
    sign: async (): Promise<SignedToken> => {
      signer.calls++;
      return { token: `token-${signer.calls}`, issuedAt: clock.now, expiresAt: clock.now + ttl };
    },
  };
  return signer;
}

describe("TokenCache", () => {
  it("reuses a token for the same key instead of signing again", async () => {
    const clock = pinnedClock();
    const cache = new TokenCache({ clock, maxEntries: 10, minRemainingFraction: 0.5 });
    const signer = countingSigner(clock);
    const first = await cache.getOrSign("k", signer.sign);
    clock.now += 60;
    const second = await cache.getOrSign("k", signer.sign);
    expect(first).toEqual({
      token: { token: "token-1", issuedAt: T0, expiresAt: T0 + 3600 },
      cached: false,
    });
    expect(second).toEqual({ token: first.token, cached: true });
    expect(signer.calls).toBe(1);
  });

  it("never mixes keys", async () => {
    const clock = pinnedClock();
    const cache = new TokenCache({ clock, maxEntries: 10, minRemainingFraction: 0.5 });
    const signer = countingSigner(clock);
    const a = await cache.getOrSign("a", signer.sign);
    const b = await cache.getOrSign("b", signer.sign);
    expect(a.token.token).not.toBe(b.token.token);
    expect(signer.calls).toBe(2);
  });

  it("serves a token while half its lifetime remains, and signs anew from then on", async () => {
    const clock = pinnedClock();
    const cache = new TokenCache({ clock, maxEntries: 10, minRemainingFraction: 0.5 });
    const signer = countingSigner(clock);
    await cache.getOrSign("k", signer.sign);
    clock.now = T0 + 1800; // exactly half left
    expect((await cache.getOrSign("k", signer.sign)).cached).toBe(true);
    clock.now = T0 + 1801; // less than half left
    const refreshed = await cache.getOrSign("k", signer.sign);
    expect(refreshed).toEqual({
      token: { token: "token-2", issuedAt: T0 + 1801, expiresAt: T0 + 1801 + 3600 },
      cached: false,
    });
    clock.now += 10;
    expect((await cache.getOrSign("k", signer.sign)).token.token).toBe("token-2");
    expect(signer.calls).toBe(2);
  });

  it("never serves a token with less than five minutes left, whatever the fraction", async () => {
    const clock = pinnedClock();
    const cache = new TokenCache({ clock, maxEntries: 10, minRemainingFraction: 0.01 });
    const signer = countingSigner(clock, 600);
    await cache.getOrSign("k", signer.sign);
    clock.now = T0 + 600 - MIN_REMAINING_SECONDS;
    expect((await cache.getOrSign("k", signer.sign)).cached).toBe(true);
    clock.now += 1;
    expect((await cache.getOrSign("k", signer.sign)).cached).toBe(false);
  });

  it("evicts the least recently used token beyond maxEntries", async () => {
    const clock = pinnedClock();
    const cache = new TokenCache({ clock, maxEntries: 2, minRemainingFraction: 0.5 });
    const signer = countingSigner(clock);
    await cache.getOrSign("a", signer.sign);
    await cache.getOrSign("b", signer.sign);
    await cache.getOrSign("a", signer.sign); // a is now the most recently used
    await cache.getOrSign("c", signer.sign); // evicts b
    expect(cache.size).toBe(2);
    expect(signer.calls).toBe(3);
    expect((await cache.getOrSign("a", signer.sign)).cached).toBe(true);
    expect((await cache.getOrSign("c", signer.sign)).cached).toBe(true);
    expect((await cache.getOrSign("b", signer.sign)).cached).toBe(false);
    expect(signer.calls).toBe(4);
  });

  it("keeps a token that is hit between new ones, however many come and go", async () => {
    // A hit moves its entry to the end only once it is in the older half of the cache (V8's Map
    // slows down on a key deleted and set again and again); a hot token must still never go.
    const clock = pinnedClock();
    const cache = new TokenCache({ clock, maxEntries: 4, minRemainingFraction: 0.5 });
    const signer = countingSigner(clock);
    await cache.getOrSign("hot", signer.sign);
    for (let i = 0; i < 50; i++) {
      expect((await cache.getOrSign("hot", signer.sign)).cached).toBe(true);
      await cache.getOrSign(`other-${i}`, signer.sign);
      expect(cache.size).toBeLessThanOrEqual(4);
    }
    expect(signer.calls).toBe(51);
    // The others went in the order they came: the three newest are still there.
    for (const i of [47, 48, 49]) {
      expect((await cache.getOrSign(`other-${i}`, signer.sign)).cached).toBe(true);
    }
    expect((await cache.getOrSign("other-46", signer.sign)).cached).toBe(false);
  });

  it("keeps nothing with maxEntries 0, but still shares concurrent signatures", async () => {
    const clock = pinnedClock();
    const cache = new TokenCache({ clock, maxEntries: 0, minRemainingFraction: 0.5 });
    const signer = countingSigner(clock);
    await Promise.all([cache.getOrSign("k", signer.sign), cache.getOrSign("k", signer.sign)]);
    expect(signer.calls).toBe(1);
    await cache.getOrSign("k", signer.sign);
    expect(signer.calls).toBe(2);
    expect(cache.size).toBe(0);
  });

  it("shares one signing call between concurrent identical requests (single-flight)", async () => {
    const clock = pinnedClock();
    const cache = new TokenCache({ clock, maxEntries: 10, minRemainingFraction: 0.5 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const slowSign = async (): Promise<SignedToken> => {
      calls++;
      await gate;
      return { token: "shared", issuedAt: T0, expiresAt: T0 + 3600 };
    };
    const results = Promise.all(Array.from({ length: 200 }, () => cache.getOrSign("k", slowSign)));
    release();
    const answers = await results;
    expect(calls).toBe(1);
    expect(new Set(answers.map((a) => a.token.token))).toEqual(new Set(["shared"]));
    expect(answers.filter((a) => !a.cached)).toHaveLength(1);
  });

  it("does not cache a failed signature: waiters see the error, the next call signs again", async () => {
    const clock = pinnedClock();
    const cache = new TokenCache({ clock, maxEntries: 10, minRemainingFraction: 0.5 });
    let calls = 0;
    const failing = async (): Promise<SignedToken> => {
      calls++;
      throw new Error("IAM down");
    };
    const both = await Promise.allSettled([
      cache.getOrSign("k", failing),
      cache.getOrSign("k", failing),
    ]);
    expect(both.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(calls).toBe(1);
    const signer = countingSigner(clock);
    expect((await cache.getOrSign("k", signer.sign)).cached).toBe(false);
    expect(cache.size).toBe(1);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a call of `getOrSign` ended with, and when (ms since `since`). */
async function outcome(call: Promise<{ token: SignedToken }>, since: number) {
  return call.then(
    ({ token }) => ({ token: token.token, reason: undefined, at: Date.now() - since }),
    (error: unknown) => ({
      token: undefined,
      reason: (error as TokenServiceError).details.reason,
      step: (error as TokenServiceError).details.step,
      at: Date.now() - since,
    }),
  );
}

describe("a signature shared by concurrent callers", () => {
  /** A signer that answers after `ms`, unless its own context ends first; records that context. */
  function slowSigner(ms: number) {
    const signer = {
      calls: 0,
      contexts: [] as CallContext[],
      sign: async (context: CallContext): Promise<SignedToken> => {
        signer.calls++;
        signer.contexts.push(context);
        await context.step("iam-signJwt", async () => {
          await Promise.race([
            sleep(ms),
            new Promise((_, reject) =>
              context.signal.addEventListener("abort", () =>
                reject(context.signal.reason as Error),
              ),
            ),
          ]);
        });
        context.throwIfExpired();
        return { token: `signed-${signer.calls}`, issuedAt: T0, expiresAt: T0 + 3600 };
      },
    };
    return signer;
  }

  it("is not bound by its first caller's deadline: a caller who joined later still gets it", async () => {
    const cache = new TokenCache({
      clock: pinnedClock(),
      maxEntries: 10,
      minRemainingFraction: 0.5,
    });
    const signer = slowSigner(450);
    const started = Date.now();
    const first = new CallDeadline(300);
    const firstCall = outcome(cache.getOrSign("k", signer.sign, first), started);
    await sleep(200);
    const second = new CallDeadline(300); // until 500 ms: after the signature's 450 ms
    const secondCall = outcome(cache.getOrSign("k", signer.sign, second), started);
    const [a, b] = await Promise.all([firstCall, secondCall]);
    first.dispose();
    second.dispose();
    // The first caller leaves at its own deadline, naming the step the signature was in.
    expect(a).toMatchObject({ token: undefined, reason: "deadline-exceeded", step: "iam-signJwt" });
    expect(a.at).toBeLessThan(420);
    // The second is not failed by the first's deadline: it gets the one signature.
    expect(b).toMatchObject({ token: "signed-1", reason: undefined });
    expect(b.at).toBeGreaterThanOrEqual(440);
    expect(signer.calls).toBe(1);
    expect(signer.contexts[0]?.signal.aborted).toBe(false);
    expect(cache.signing).toBe(0);
  });

  it("is abandoned when every caller has left: nothing signs for nobody", async () => {
    const cache = new TokenCache({
      clock: pinnedClock(),
      maxEntries: 10,
      minRemainingFraction: 0.5,
    });
    const signer = slowSigner(10_000);
    const callers = [new CallDeadline(150), new CallDeadline(250)];
    const outcomes = await Promise.all(
      callers.map((caller) => outcome(cache.getOrSign("k", signer.sign, caller), Date.now())),
    );
    expect(outcomes.map((o) => o.reason)).toEqual(["deadline-exceeded", "deadline-exceeded"]);
    expect(signer.contexts[0]?.signal.aborted).toBe(true);
    expect((signer.contexts[0]?.signal.reason as TokenServiceError).details.reason).toBe(
      "signature-abandoned",
    );
    expect(cache.signing).toBe(0);
    // The next caller starts a signature of its own.
    const next = slowSigner(10);
    expect(await cache.getOrSign("k", next.sign, new CallDeadline(1000))).toMatchObject({
      token: { token: "signed-1" },
      cached: false,
    });
    expect(next.calls).toBe(1);
  });

  it("has its own bound: a stuck signature fails there and is forgotten", async () => {
    const cache = new TokenCache({
      clock: pinnedClock(),
      maxEntries: 10,
      minRemainingFraction: 0.5,
      signatureTimeoutMs: 300,
    });
    let calls = 0;
    const stuck = (): Promise<SignedToken> => {
      calls++;
      return new Promise(() => undefined); // never settles, ignores every signal
    };
    const started = Date.now();
    const callers = [new CallDeadline(5000), new CallDeadline(5000)];
    const outcomes = await Promise.all(
      callers.map((caller) => outcome(cache.getOrSign("k", stuck, caller), started)),
    );
    for (const caller of callers) caller.dispose();
    expect(outcomes.map((o) => o.reason)).toEqual(["signature-timeout", "signature-timeout"]);
    expect(Math.max(...outcomes.map((o) => o.at))).toBeLessThan(1000);
    expect(calls).toBe(1);
    expect(cache.signing).toBe(0);
    const signer = countingSigner(pinnedClock());
    expect((await cache.getOrSign("k", signer.sign)).cached).toBe(false);
    expect(signer.calls).toBe(1);
  });
});
