import { randomUUID } from "node:crypto";
import { createUser } from "../test/support/auth-emulator.js";
import { callTokenFunction } from "../test/support/callable.js";
import { adminFirestore } from "../test/support/firestore-admin.js";
import { nowMs, percentile } from "./measure.js";

export interface LatencyResult {
  calls: number;
  p50Ms: number;
  p95Ms: number;
}

export interface EndToEndResult {
  hit: LatencyResult;
  miss: LatencyResult;
}

async function sequential(
  calls: number,
  call: (i: number) => Promise<void>,
): Promise<LatencyResult> {
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = nowMs();
    await call(i);
    samples.push(nowMs() - started);
  }
  return { calls, p50Ms: percentile(samples, 50), p95Ms: percentile(samples, 95) };
}

/**
 * Sequential calls over HTTP to the callable in the Functions emulator (inside
 * `firebase emulators:exec`): the same trip again (cache hit) and a new trip each time (cache
 * miss), as a real rider with real Firestore documents.
 */
export async function measureEndToEnd(calls: number): Promise<EndToEndResult> {
  const rider = await createUser("bench-rider");
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const db = adminFirestore();
  const batch = db.batch();
  for (let i = 0; i <= calls; i++) {
    batch.set(db.doc(`trips/${prefix}-${i}`), { consumerUids: [rider.uid], status: "NEW" });
  }
  await batch.commit();

  const expectToken = async (tripId: string) => {
    const answer = await callTokenFunction(rider.idToken, { type: "consumer", tripId });
    if (answer.result === undefined)
      throw new Error(`bench call refused: ${JSON.stringify(answer.error)}`);
  };
  await expectToken(`${prefix}-0`); // warm: the function's first call loads its dependencies
  const hit = await sequential(calls, () => expectToken(`${prefix}-0`));
  const miss = await sequential(calls, (i) => expectToken(`${prefix}-${i + 1}`));
  return { hit, miss };
}
