import { describe, expect, it } from "vitest";
import { measureEndToEnd } from "../../bench/e2e.js";

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
