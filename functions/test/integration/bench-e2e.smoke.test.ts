import { describe, expect, it } from "vitest";
import { measureCriticalPath } from "../../bench/critical-path.js";
import { measureEndToEnd } from "../../bench/e2e.js";
import { measureFirstCall } from "../../bench/first-call.js";

/**
 * Smoke run of the benchmark's end-to-end rows with tiny counts, so the benchmark never rots.
 * It checks that the measurement runs and yields latencies, never how fast they are.
 */
describe("benchmark smoke: end to end through the emulators", () => {
  it("measures cache-hit and cache-miss latencies", async () => {
    const result = await measureEndToEnd(3);
    for (const latency of [result.hit, result.miss]) {
      expect(latency.calls).toBe(3);
      expect(Number.isFinite(latency.p50Ms)).toBe(true);
      expect(latency.p95Ms).toBeGreaterThanOrEqual(latency.p50Ms);
    }
  });
});

describe("benchmark smoke: the rows that need the emulators", () => {
  it("measures the critical path against delayed Auth and Firestore and a slow IAM", async () => {
    const result = await measureCriticalPath(2);
    // Each backend alone costs at least its injected delay: the proxies are really in the path.
    expect(result.authAloneMs).toBeGreaterThanOrEqual(30);
    expect(result.readAloneMs).toBeGreaterThanOrEqual(20);
    expect(result.signAloneMs).toBeGreaterThanOrEqual(60);
    expect(Number.isFinite(result.hitMs) && Number.isFinite(result.missMs)).toBe(true);
  });

  it("serves a token from a fresh process, ours and by hand", async () => {
    const result = await measureFirstCall(1);
    for (const side of [result.ours, result.byHand]) {
      expect(side.cpuMs).toBeGreaterThan(0);
      expect(side.wallMs).toBeGreaterThan(0);
    }
  }, 120_000);
});
