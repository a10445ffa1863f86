import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import type { AssignmentRepository } from "../src/entitlement/assignments.js";
import {
  handleGetFleetEngineToken,
  type HandlerDeps,
  type TokenCallRequest,
} from "../src/handler.js";
import { ErrorCode, TokenServiceError } from "../src/errors.js";
import { createLogs } from "../src/logs.js";
import { TokenCache } from "../src/cache/token-cache.js";
import { DevKeySigner, EMULATOR_ENV } from "../src/signing/dev-key-signer.js";
import type { Signer } from "../src/signing/signer.js";
import type { FleetEngineClaims } from "../src/token/claims.js";
import { createThrowawayKey } from "../test/support/keys.js";
import { MemoryAssignments } from "../test/support/memory-assignments.js";
import { RIDER, riderRequest } from "./fixtures.js";
import { nowMs } from "./measure.js";

export interface SustainedOptions {
  calls: number;
  concurrency: number;
  /**
   * Distinct trips asked for, and as many tasks: the first call of each (and of each trusted
   * driver's task) signs, later ones hit the cache.
   */
  trips: number;
  /** One call in `faultEvery` meets a failing or hanging backend (100: 1 %). */
  faultEvery: number;
  /** Latency of each fake backend answer. */
  backendMs: number;
  /** The handler's bound on each call (production: CALL_DEADLINE_MS). */
  deadlineMs: number;
}

export interface SustainedResult extends SustainedOptions {
  faulty: number;
  tokens: number;
  /** Calls that ended in a TokenServiceError (the only kind of error the callable maps). */
  typedErrors: number;
  /** Calls that ended in anything else. */
  untypedErrors: number;
  /** Calls that got no answer at all by the end of the run. */
  unanswered: number;
  /** A healthy call refused, or a faulty call given a token: faults must stay with their call. */
  misattributed: number;
  /** Log entries written: one per call is the rule. */
  logEntries: number;
  unhandledRejections: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  wallMs: number;
  callsPerSecond: number;
}

type Fault = "auth-fails" | "read-fails" | "read-hangs" | "sign-hangs";
type CallKind = "trip" | "trusted-driver-task" | "recipient-task";
const CALL_KINDS: readonly CallKind[] = ["trip", "trusted-driver-task", "recipient-task"];
const TRUSTED_DRIVER = "bench-trusted-driver";
const VEHICLE = "bench-delivery-vehicle";

function callFrom(uid: string, data: Record<string, string>): TokenCallRequest {
  return { data, auth: { uid, token: { uid }, rawToken: "bench" } };
}
const FAULTS: readonly Fault[] = ["auth-fails", "read-fails", "read-hangs", "sign-hangs"];

/** The ID token's auth_time, which the session checker receives; one value marks the fault. */
const AUTH_TIME = Math.floor(Date.now() / 1000);
const AUTH_FAILS = AUTH_TIME - 1;

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
const after = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function unavailable(what: string): TokenServiceError {
  return new TokenServiceError(ErrorCode.BackendUnavailable, `${what} failed (bench fault)`, {
    details: { reason: "bench-fault" },
  });
}

/** A full garbage collection, so that heap figures compare live objects only. */
function collectGarbage(): void {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
  gc();
}

const heapMb = (): number => process.memoryUsage().heapUsed / 2 ** 20;

/**
 * Sustained load: `calls` calls, `concurrency` at a time, through the whole in-process handler
 * (a rider's trip, a trusted driver's task and a recipient's task in turn), with fake backends
 * that answer after `backendMs`; one call in `faultEvery` meets a backend that fails or never
 * answers (Auth fails, the read fails, the read hangs, signing hangs, in turn; for a trusted
 * driver the task read fails or hangs while the driver read answers).
 * Counts the answers of every kind, unhandled rejections and log entries, and the heap before
 * and after (each after a full GC).
 */
export async function measureSustained(options: SustainedOptions): Promise<SustainedResult> {
  const key = createThrowawayKey("bench-load@demo-bench.iam.gserviceaccount.com");
  const devSigner = new DevKeySigner(key.file, EMULATOR_ENV);
  const faultOf = (i: number): Fault | undefined =>
    i % options.faultEvery === options.faultEvery - 1
      ? FAULTS[Math.floor(i / options.faultEvery) % FAULTS.length]
      : undefined;

  // Three kinds of call in turn: a rider's trip (one read), a trusted driver's task (the driver
  // and the task read side by side), a recipient's task (one read of the task).
  const assignments = new MemoryAssignments();
  assignments.drivers.set(TRUSTED_DRIVER, { deliveryVehicleId: VEHICLE });
  const task = { deliveryVehicleId: VEHICLE, consumerUids: [RIDER] };
  for (let t = 0; t < options.trips; t++) {
    assignments.trips.set(`trip-${t}`, { consumerUids: [RIDER], status: "NEW" });
    assignments.tasks.set(`task-${t}`, task);
  }
  const requestOf = (i: number): TokenCallRequest => {
    const fault = faultOf(i);
    const kind = CALL_KINDS[i % CALL_KINDS.length];
    // A faulty call has its own trip or task: a faulty signature is always a miss.
    const id = (prefix: string) =>
      fault === undefined ? `${prefix}-${i % options.trips}` : `${fault}-${i}`;
    switch (kind) {
      case "trip": {
        const tripId = id("trip");
        assignments.trips.set(tripId, { consumerUids: [RIDER], status: "NEW" });
        return riderRequest(tripId);
      }
      case "trusted-driver-task": {
        const taskId = id("task");
        assignments.tasks.set(taskId, task);
        return callFrom(TRUSTED_DRIVER, { type: "trustedDeliveryDriver", taskId });
      }
      case "recipient-task": {
        const taskId = id("task");
        assignments.tasks.set(taskId, task);
        return callFrom(RIDER, { type: "deliveryConsumer", taskId });
      }
    }
  };
  /** A read of `id` that fails or hangs when `id` marks that fault, after the backend's delay. */
  const read = async <T>(id: string, answer: () => Promise<T>): Promise<T> => {
    if (id.startsWith("read-hangs")) return never<T>();
    await after(options.backendMs);
    if (id.startsWith("read-fails")) throw unavailable("Firestore read");
    return answer();
  };
  const slowAssignments: AssignmentRepository = {
    getDriver: (uid: string) => read(uid, () => assignments.getDriver(uid)),
    getShipment: (id: string) => assignments.getShipment(id),
    getTrip: (tripId: string) => read(tripId, () => assignments.getTrip(tripId)),
    getTask: (taskId: string) => read(taskId, () => assignments.getTask(taskId)),
  };
  const signer: Signer = {
    accountEmail: () => devSigner.accountEmail(),
    signJwt: (claims: FleetEngineClaims) =>
      (claims.authorization.tripid ?? claims.authorization.taskid)?.startsWith("sign-hangs")
        ? never<string>()
        : devSigner.signJwt(claims),
  };
  let logEntries = 0;
  const count = () => void logEntries++;
  const clock = { nowMillis: () => Date.now() };
  const deps: HandlerDeps = {
    clock,
    deadlineMs: options.deadlineMs,
    logs: createLogs({ info: count, warn: count, error: count }),
    services: async () => ({
      ttlSeconds: 3600,
      checkRevokedTokens: true,
      sessions: {
        currentSession: async (_uid: string, authTime: unknown) => {
          await after(options.backendMs);
          if (authTime === AUTH_FAILS) throw unavailable("Auth lookup");
          return { customClaims: {} };
        },
      },
      assignments: slowAssignments,
      signers: { forType: () => signer },
      cache: new TokenCache({ clock, maxEntries: 10_000, minRemainingFraction: 0.5 }),
    }),
  };

  let unhandledRejections = 0;
  const onUnhandled = () => void unhandledRejections++;
  process.on("unhandledRejection", onUnhandled);

  // Warm-up (JIT, lazy imports), then the heap baseline.
  for (let i = 0; i < 50; i++) {
    await handleGetFleetEngineToken(riderRequest(`trip-${i % options.trips}`), deps);
  }
  collectGarbage();
  const heapBeforeMb = heapMb();
  logEntries = 0;

  const counts = { tokens: 0, typed: 0, untyped: 0, misattributed: 0, settled: 0, faulty: 0 };
  let next = 0;
  const started = nowMs();
  const worker = async (): Promise<void> => {
    while (next < options.calls) {
      const i = next++;
      const fault = faultOf(i);
      if (fault !== undefined) counts.faulty++;
      const request = requestOf(i);
      const authTime = fault === "auth-fails" ? AUTH_FAILS : AUTH_TIME;
      const call = handleGetFleetEngineToken(
        { ...request, auth: { ...request.auth, token: { auth_time: authTime } } },
        deps,
      );
      const outcome = await call.then(
        (response) => ({ token: response.token }),
        (error: unknown) => ({ error }),
      );
      counts.settled++;
      if ("token" in outcome) {
        counts.tokens++;
        if (fault !== undefined) counts.misattributed++;
      } else if (outcome.error instanceof TokenServiceError) {
        counts.typed++;
        if (fault === undefined) counts.misattributed++;
      } else {
        counts.untyped++;
      }
    }
  };
  const workers = Promise.all(Array.from({ length: options.concurrency }, worker));
  // Hanging calls must end at the handler's deadline; one still open well after it never will.
  let watchdog: NodeJS.Timeout | undefined;
  await Promise.race([
    workers,
    new Promise<void>((resolve) => {
      watchdog = setTimeout(resolve, options.deadlineMs * 10 + 30_000);
    }),
  ]);
  clearTimeout(watchdog);
  const wallMs = nowMs() - started;
  await after(10); // let any late rejection surface before counting
  process.off("unhandledRejection", onUnhandled);

  collectGarbage();
  return {
    ...options,
    faulty: counts.faulty,
    tokens: counts.tokens,
    typedErrors: counts.typed,
    untypedErrors: counts.untyped,
    unanswered: options.calls - counts.settled,
    misattributed: counts.misattributed,
    logEntries,
    unhandledRejections,
    heapBeforeMb,
    heapAfterMb: heapMb(),
    wallMs,
    callsPerSecond: (counts.settled / wallMs) * 1000,
  };
}
