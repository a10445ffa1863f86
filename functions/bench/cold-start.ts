import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { functionsDir } from "./functions-dir.js";
import type { KitWrapper } from "./kit-wrapper.js";
import { median } from "./measure.js";

export interface ColdStartResult {
  runs: number;
  indexMs: number;
  baselineMs: number;
}

export interface KitColdStartResult extends ColdStartResult {
  /** The wrapper with the lighter import the kit's README suggests. */
  leanMs: number;
}

/** Milliseconds to `require(target)` in a fresh Node process (process start excluded). */
function requireTime(target: string, cwd: string = functionsDir()): number {
  const code =
    "const t = process.hrtime.bigint();" +
    `require(${JSON.stringify(target)});` +
    "process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));";
  return Number(execFileSync(process.execPath, ["-e", code], { cwd, encoding: "utf8" }));
}

/**
 * The built functions/lib/index.js against firebase-functions/https alone, alternating so that
 * both see the same machine load; medians of `runs` each.
 */
export function measureColdStart(runs: number): ColdStartResult {
  const index = path.join(functionsDir(), "lib", "index.js");
  if (!existsSync(index)) throw new Error(`${index} is missing: build first (npm run build)`);
  const indexTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    baselineTimes.push(requireTime("firebase-functions/https"));
    indexTimes.push(requireTime(index));
  }
  return { runs, indexMs: median(indexTimes), baselineMs: median(baselineTimes) };
}

/**
 * The installed kit (the wrapper's compiled entry re-exporting the package) against the same
 * wrapper without the kit: what the kit adds to what any kit costs. Alternating, medians.
 */
export function measureKitColdStart(runs: number, wrapper: KitWrapper): KitColdStartResult {
  const indexTimes: number[] = [];
  const baselineTimes: number[] = [];
  const leanTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    baselineTimes.push(requireTime(wrapper.emptyKit, wrapper.dir));
    indexTimes.push(requireTime(wrapper.index, wrapper.dir));
    leanTimes.push(requireTime(wrapper.leanKit, wrapper.dir));
  }
  return {
    runs,
    indexMs: median(indexTimes),
    baselineMs: median(baselineTimes),
    leanMs: median(leanTimes),
  };
}
