import { createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import type { HandlerDeps, TokenCallRequest } from "../src/handler.js";
import { createLogs, type LogSink } from "../src/logs.js";
import { TokenCache } from "../src/cache/token-cache.js";
import { DevKeySigner, EMULATOR_ENV } from "../src/signing/dev-key-signer.js";
import type { SignerSet } from "../src/signing/signer.js";
import { createThrowawayKey, type ThrowawayKey } from "../test/support/keys.js";
import { MemoryAssignments } from "../test/support/memory-assignments.js";

/**
 * The in-process handler as the benchmark runs it: dev-key signer, in-memory assignments, the
 * production cache settings, and a log sink that pays for serialising each entry (as the real
 * logger does) but writes nowhere.
 */

export const RIDER = "bench-rider";

export const discardingSink: LogSink = {
  info: (message, payload) => void JSON.stringify({ message, ...payload }),
  warn: (message, payload) => void JSON.stringify({ message, ...payload }),
  error: (message, payload) => void JSON.stringify({ message, ...payload }),
};

export interface BenchHandler {
  deps: HandlerDeps;
  assignments: MemoryAssignments;
  key: ThrowawayKey;
  privateKey: KeyObject;
}

export function benchHandler(signers?: SignerSet): BenchHandler {
  const key = createThrowawayKey("bench@demo-bench.iam.gserviceaccount.com");
  const assignments = new MemoryAssignments();
  const signer = new DevKeySigner(key.file, EMULATOR_ENV);
  const clock = { nowMillis: () => Date.now() };
  const cache = new TokenCache({ clock, maxEntries: 10_000, minRemainingFraction: 0.5 });
  const services = {
    ttlSeconds: 3600,
    checkRevokedTokens: false,
    sessions: { currentSession: async () => ({ customClaims: {} }) },
    assignments,
    signers: signers ?? { forType: () => signer },
    cache,
  };
  return {
    deps: { clock, logs: createLogs(discardingSink), services: async () => services },
    assignments,
    key,
    privateKey: createPrivateKey(
      (JSON.parse(readFileSync(key.file, "utf8")) as { private_key: string }).private_key,
    ),
  };
}

export function riderRequest(tripId: string, uid = RIDER): TokenCallRequest {
  return { data: { type: "consumer", tripId }, auth: { uid, token: { uid }, rawToken: "bench" } };
}
