import * as os from "node:os";
import { measureColdStart, measureKitColdStart } from "./cold-start.js";
import { LATENCY, measureCriticalPath, type CriticalPathResult } from "./critical-path.js";
import { measureEndToEnd, type EndToEndResult } from "./e2e.js";
import { measureFirstCall, type FirstCallResult } from "./first-call.js";
import { measureInProcess } from "./in-process.js";
import { prepareKitWrapper } from "./kit-wrapper.js";
import { measureSingleFlight } from "./single-flight.js";
import { measureSustained } from "./sustained.js";
import { printTable, type Row } from "./table.js";

/**
 * npm run bench: every row measured in this one run, each compared with a baseline measured in
 * the same run (this machine is shared and noisy; only ratios mean something).
 *
 *   --smoke      tiny iteration counts: checks that the benchmark runs, measures nothing
 *   --skip-e2e   no emulator rows (when not run inside firebase emulators:exec)
 */
async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const smoke = args.has("--smoke");
  const withE2e = !args.has("--skip-e2e");
  if (withE2e && !process.env.FIREBASE_AUTH_EMULATOR_HOST) {
    throw new Error(
      "the end-to-end rows need the emulators: run `npm run bench` (or pass --skip-e2e)",
    );
  }
  const n = smoke
    ? {
        sign: 5,
        warmUp: 5,
        hit: 20,
        concurrent: 10,
        coldRuns: 1,
        e2e: 3,
        load: 400,
        loadConcurrency: 50,
      }
    : {
        sign: 1000,
        warmUp: 2000,
        hit: 20_000,
        concurrent: 200,
        coldRuns: 9,
        e2e: 200,
        load: 10_000,
        loadConcurrency: 200,
      };
  const n2 = smoke
    ? { criticalCalls: 3, firstCallRuns: 1 }
    : { criticalCalls: 40, firstCallRuns: 5 };
  const started = Date.now();

  const inProcess = await measureInProcess({ sign: n.sign, warmUp: n.warmUp, hit: n.hit });
  const flight = await measureSingleFlight(n.concurrent);
  const cold = measureColdStart(n.coldRuns);
  const kitWrapper = prepareKitWrapper();
  const kitCold = measureKitColdStart(n.coldRuns, kitWrapper);
  const load = await measureSustained({
    calls: n.load,
    concurrency: n.loadConcurrency,
    trips: Math.max(1, n.load / 5),
    faultEvery: 100,
    backendMs: 1,
    deadlineMs: 1000,
  });
  const e2e: EndToEndResult | undefined = withE2e ? await measureEndToEnd(n.e2e) : undefined;
  const critical: CriticalPathResult | undefined = withE2e
    ? await measureCriticalPath(n2.criticalCalls)
    : undefined;
  const firstCall: FirstCallResult | undefined = withE2e
    ? await measureFirstCall(n2.firstCallRuns)
    : undefined;
  const kitFirstCall: FirstCallResult | undefined = withE2e
    ? await measureFirstCall(n2.firstCallRuns, kitWrapper)
    : undefined;

  const floorOps = 1000 / inProcess.floorMsPerOp;
  const hitOps = 1000 / inProcess.hitMsPerOp;
  const rows: Row[] = [
    {
      what: "floor: one RS256 signature, node:crypto",
      result: `${fmt(floorOps)} ops/s (${inProcess.floorMsPerOp.toFixed(3)} ms/op)`,
      baseline: "",
      ratio: "1.00x",
      target: "",
    },
    {
      what: "handler in-process, dev-key signer, cache miss",
      result: `${inProcess.missMsPerOp.toFixed(3)} ms/token`,
      baseline: `floor ${inProcess.floorMsPerOp.toFixed(3)} ms`,
      ratio: `${(inProcess.missMsPerOp / inProcess.floorMsPerOp).toFixed(2)}x cost`,
      target: "<= 1.3x cost",
      met: inProcess.missMsPerOp / inProcess.floorMsPerOp <= 1.3,
    },
    {
      what: "handler in-process, cache hit",
      result: `${fmt(hitOps)} ops/s`,
      baseline: `floor ${fmt(floorOps)} ops/s`,
      ratio: `${(hitOps / floorOps).toFixed(1)}x throughput`,
      target: ">= 20x throughput",
      met: hitOps / floorOps >= 20,
    },
    {
      what: `${flight.concurrent} concurrent identical requests, fake IAM answering after ${flight.iamDelayMs} ms`,
      result: `${flight.signJwtCalls} signJwt call(s), ${flight.burstMs.toFixed(1)} ms wall`,
      baseline: `one call ${flight.oneCallMs.toFixed(1)} ms`,
      ratio: `${(flight.burstMs / flight.oneCallMs).toFixed(2)}x`,
      target: "1 call, < 2x",
      met: flight.signJwtCalls === 1 && flight.burstMs < 2 * flight.oneCallMs,
    },
    {
      what: `cold start: require(functions/lib/index.js), median of ${cold.runs}`,
      result: `${cold.indexMs.toFixed(1)} ms`,
      baseline: `require("firebase-functions/https") ${cold.baselineMs.toFixed(1)} ms`,
      ratio: `${(cold.indexMs / cold.baselineMs).toFixed(2)}x`,
      target: "<= 1.2x",
      met: cold.indexMs / cold.baselineMs <= 1.2,
    },
    {
      what:
        `cold start, installed as a kit: require(wrapper lib/index.js), the CLI's template ` +
        `re-exporting the packed package, median of ${kitCold.runs}`,
      result: `${kitCold.indexMs.toFixed(1)} ms`,
      baseline: `the same template without the kit ${kitCold.baselineMs.toFixed(1)} ms`,
      ratio: `${(kitCold.indexMs / kitCold.baselineMs).toFixed(2)}x`,
      target: "<= 1.2x",
      met: kitCold.indexMs / kitCold.baselineMs <= 1.2,
    },
    {
      what:
        "cold start, installed as a kit, the wrapper importing setGlobalOptions from " +
        'firebase-functions/v2/options (README: "Cold starts of a kit instance")',
      result: `${kitCold.leanMs.toFixed(1)} ms`,
      baseline: `the template without the kit ${kitCold.baselineMs.toFixed(1)} ms`,
      ratio: `${(kitCold.leanMs / kitCold.baselineMs).toFixed(2)}x`,
      target: "reported",
    },
  ];
  const heapGrowthMb = load.heapAfterMb - load.heapBeforeMb;
  const loadOps = load.callsPerSecond;
  rows.push({
    what:
      `sustained load: ${fmt(load.calls)} calls, ${load.concurrency} at a time, fake backends, ` +
      `${load.faulty} failing or hanging`,
    result:
      `${fmt(load.tokens)} tokens + ${fmt(load.typedErrors)} typed errors, ` +
      `${load.unanswered + load.untypedErrors + load.misattributed} other, ` +
      `${load.unhandledRejections} unhandled, ${fmt(load.logEntries)} log lines, ` +
      `heap ${heapGrowthMb >= 0 ? "+" : ""}${heapGrowthMb.toFixed(1)} MB, ${fmt(loadOps)} calls/s`,
    baseline: `floor ${fmt(floorOps)} ops/s`,
    ratio: `${(loadOps / floorOps).toFixed(2)}x throughput`,
    target: "1 answer per call, heap <= +20 MB",
    met:
      load.tokens + load.typedErrors === load.calls &&
      load.unanswered === 0 &&
      load.untypedErrors === 0 &&
      load.misattributed === 0 &&
      load.unhandledRejections === 0 &&
      load.logEntries === load.calls &&
      heapGrowthMb <= 20,
  });
  if (critical) {
    const longest = Math.max(critical.authAloneMs, critical.readAloneMs);
    const lookups = `Auth ${critical.authAloneMs.toFixed(1)} / Firestore ${critical.readAloneMs.toFixed(1)} ms alone`;
    rows.push(
      {
        what:
          `critical path, cache hit: Auth ${LATENCY.authMs} ms, Firestore ${LATENCY.firestoreMs} ms ` +
          `(median of ${critical.calls})`,
        result: `${critical.hitMs.toFixed(1)} ms`,
        baseline: `longest lookup ${longest.toFixed(1)} ms (${lookups})`,
        ratio: `${(critical.hitMs / longest).toFixed(2)}x`,
        target: "<= 1.15x",
        met: critical.hitMs / longest <= 1.15,
      },
      {
        what: `critical path, cache miss: the same + IAM signJwt ${LATENCY.iamMs} ms`,
        result: `${critical.missMs.toFixed(1)} ms`,
        baseline:
          `longest lookup + signJwt ${(longest + critical.signAloneMs).toFixed(1)} ms ` +
          `(signJwt ${critical.signAloneMs.toFixed(1)} ms alone)`,
        ratio: `${(critical.missMs / (longest + critical.signAloneMs)).toFixed(2)}x`,
        target: "<= 1.15x",
        met: critical.missMs / (longest + critical.signAloneMs) <= 1.15,
      },
    );
  }
  for (const [label, result] of [
    ["", firstCall],
    [", installed as a kit (both callables behind the CLI's wrapper)", kitFirstCall],
  ] as const) {
    if (result === undefined) continue;
    rows.push({
      what:
        `first call of a fresh instance${label}: process start to token, emulators, ` +
        `median of ${result.runs}`,
      result: `CPU ${result.ours.cpuMs.toFixed(0)} ms, wall ${result.ours.wallMs.toFixed(0)} ms`,
      baseline:
        `by hand, admin defaults: CPU ${result.byHand.cpuMs.toFixed(0)} ms, ` +
        `wall ${result.byHand.wallMs.toFixed(0)} ms`,
      ratio:
        `${(result.ours.cpuMs / result.byHand.cpuMs).toFixed(2)}x CPU, ` +
        `${(result.ours.wallMs / result.byHand.wallMs).toFixed(2)}x wall`,
      target: "<= 0.7x CPU",
      met: result.ours.cpuMs / result.byHand.cpuMs <= 0.7,
    });
  }
  if (e2e) {
    for (const [label, result] of [
      ["cache hit", e2e.hit],
      ["cache miss", e2e.miss],
    ] as const) {
      rows.push({
        what: `end to end through the emulators, ${result.calls} sequential calls, ${label}`,
        result: `p50 ${result.p50Ms.toFixed(1)} ms, p95 ${result.p95Ms.toFixed(1)} ms`,
        baseline: "",
        ratio: "",
        target: "reported",
      });
    }
  }

  console.log(
    `\nFleet Engine token service benchmark${smoke ? " (SMOKE RUN: tiny counts, numbers mean nothing)" : ""}\n` +
      `${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPU ` +
      `(${os.cpus()[0]?.model.trim() ?? "unknown"}), ${os.platform()} ${os.arch()}\n`,
  );
  printTable(rows);
  console.log(`\nFinished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
