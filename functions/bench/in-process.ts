import { sign } from "node:crypto";
import { handleGetFleetEngineToken } from "../src/handler.js";
import { buildClaims } from "../src/token/claims.js";
import { benchHandler, riderRequest, RIDER } from "./fixtures.js";
import { msPerOp } from "./measure.js";

export interface InProcessResult {
  /** One RS256 signature of a Fleet Engine token with node:crypto: the floor. */
  floorMsPerOp: number;
  /** The whole handler, every call a new claim set (a cache miss). */
  missMsPerOp: number;
  /** The whole handler, the same request again and again (a cache hit). */
  hitMsPerOp: number;
}

/**
 * Floor, cache miss and cache hit, measured with the same key in alternating rounds, so that all
 * three see the same machine load. Warm-up first, unmeasured: `warmUp` misses and as many hits.
 * A long-lived instance serves most of its calls with the handler optimised by V8, and the first
 * few thousand calls run slower code (see docs/performance.md); the first-call row is where the
 * cost of a fresh instance is measured.
 */
export async function measureInProcess(iterations: {
  sign: number;
  warmUp: number;
  hit: number;
}): Promise<InProcessResult> {
  const { deps, assignments, privateKey, key } = benchHandler();
  const trips = Array.from(
    { length: iterations.warmUp + iterations.sign + 1 },
    (_, i) => `trip-${i}`,
  );
  for (const tripId of trips)
    assignments.trips.set(tripId, { consumerUids: [RIDER], status: "NEW" });

  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims = buildClaims(key.email, { tripid: "trip-0" }, Date.now(), 3600);
  const input = Buffer.from(
    `${encode({ alg: "RS256", typ: "JWT", kid: key.keyId })}.${encode(claims)}`,
  );
  const floor = () => sign("sha256", input, privateKey);
  let next = 0;
  const miss = () => handleGetFleetEngineToken(riderRequest(trips[next++]), deps);
  // trips[0] is the first miss of the warm-up: every later call for it is a hit.
  const hit = () => handleGetFleetEngineToken(riderRequest(trips[0]), deps);

  for (let i = 0; i < 5; i++) floor();
  for (let i = 0; i <= iterations.warmUp; i++) await miss();
  for (let i = 0; i < iterations.warmUp; i++) await hit();

  const rounds = Math.min(10, iterations.sign);
  const totals = { floor: 0, miss: 0, hit: 0 };
  for (let round = 0; round < rounds; round++) {
    totals.floor += await msPerOp(floor, Math.max(1, Math.floor(iterations.sign / rounds)));
    totals.miss += await msPerOp(miss, Math.max(1, Math.floor(iterations.sign / rounds)));
    totals.hit += await msPerOp(hit, Math.max(1, Math.floor(iterations.hit / rounds)));
  }
  return {
    floorMsPerOp: totals.floor / rounds,
    missMsPerOp: totals.miss / rounds,
    hitMsPerOp: totals.hit / rounds,
  };
}
