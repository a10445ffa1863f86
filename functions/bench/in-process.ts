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

/** Floor, cache miss and cache hit, measured back to back with the same key. */
export async function measureInProcess(iterations: {
  sign: number;
  hit: number;
}): Promise<InProcessResult> {
  const { deps, assignments, privateKey, key } = benchHandler();
  const trips = Array.from({ length: iterations.sign + 1 }, (_, i) => `trip-${i}`);
  for (const tripId of trips)
    assignments.trips.set(tripId, { consumerUids: [RIDER], status: "NEW" });

  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims = buildClaims(key.email, { tripid: "trip-0" }, Date.now(), 3600);
  const input = Buffer.from(
    `${encode({ alg: "RS256", typ: "JWT", kid: key.keyId })}.${encode(claims)}`,
  );

  // Warm-up: JIT, lazy imports (jose, zod), the dev key's first load.
  for (let i = 0; i < 5; i++) sign("sha256", input, privateKey);
  await handleGetFleetEngineToken(riderRequest(trips[0]), deps);

  // Floor and miss alternate in rounds, so that both see the same machine load.
  const rounds = Math.min(4, iterations.sign);
  const perRound = Math.max(1, Math.floor(iterations.sign / rounds));
  let floorTotal = 0;
  let missTotal = 0;
  let next = 1;
  for (let round = 0; round < rounds; round++) {
    floorTotal += await msPerOp(() => sign("sha256", input, privateKey), perRound);
    missTotal += await msPerOp(
      () => handleGetFleetEngineToken(riderRequest(trips[next++]), deps),
      perRound,
    );
  }
  const floorMsPerOp = floorTotal / rounds;
  const missMsPerOp = missTotal / rounds;
  const hitMsPerOp = await msPerOp(
    () => handleGetFleetEngineToken(riderRequest(trips[0]), deps),
    iterations.hit,
  );
  return { floorMsPerOp, missMsPerOp, hitMsPerOp };
}
