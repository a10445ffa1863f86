import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { createUser } from "../test/support/auth-emulator.js";
import { EMULATOR_ENV } from "../src/signing/dev-key-signer.js";
import { adminFirestore } from "../test/support/firestore-admin.js";
import { functionsDir } from "./functions-dir.js";
import type { KitWrapper } from "./kit-wrapper.js";
import { median } from "./measure.js";
import {
  REPORT_PREFIX,
  type FirstCallInput,
  type FirstCallReport,
} from "./fresh-instance/report.js";

export interface FirstCallResult {
  runs: number;
  ours: { cpuMs: number; wallMs: number };
  byHand: { cpuMs: number; wallMs: number };
}

/**
 * The first call of a fresh instance: a new Node process loads the function and serves one
 * consumer token against the Auth and Firestore emulators (inside `firebase emulators:exec`),
 * measuring CPU and wall time from process start to the token. The baseline is the same work
 * written by hand with firebase-admin's defaults (fresh-instance/by-hand.ts). The two alternate,
 * `runs` times each, so that both see the same machine load; medians.
 */
export async function measureFirstCall(runs: number, kit?: KitWrapper): Promise<FirstCallResult> {
  const devKeyFile = process.env.FLEET_ENGINE_DEV_KEY_FILE;
  if (!devKeyFile) throw new Error("FLEET_ENGINE_DEV_KEY_FILE is not set (run inside emulators)");
  const index = kit?.index ?? path.join(functionsDir(), "lib", "index.js");
  if (!existsSync(index)) throw new Error(`${index} is missing: build first (npm run build)`);

  const rider = await createUser("bench-first-call");
  const tripId = `bench-first-${randomUUID().slice(0, 8)}`;
  await adminFirestore()
    .doc(`trips/${tripId}`)
    .set({ consumerUids: [rider.uid], status: "NEW" });
  const input: FirstCallInput = {
    uid: rider.uid,
    idToken: rider.idToken,
    claims: JSON.parse(
      Buffer.from(rider.idToken.split(".")[1] ?? "", "base64url").toString("utf8"),
    ) as Record<string, unknown>,
    tripId,
    devKeyFile: path.resolve(functionsDir(), "..", devKeyFile),
    index,
    ...(kit === undefined ? {} : { prelude: kit.emptyKit }),
  };
  // Installed as a kit, the by-hand callable runs from the wrapper too: the same wrapper code
  // first, and the SDKs from the wrapper's node_modules.
  const byHandScript = kit === undefined ? childScript("by-hand.js") : inWrapper(kit);

  const ours: FirstCallReport[] = [];
  const byHand: FirstCallReport[] = [];
  for (let i = 0; i < runs; i++) {
    byHand.push(await child(byHandScript, input, kit?.dir));
    ours.push(await child(childScript("ours.js"), input, kit?.dir));
  }
  const summary = (reports: FirstCallReport[]) => ({
    cpuMs: median(reports.map((r) => r.cpuMs)),
    wallMs: median(reports.map((r) => r.wallMs)),
  });
  return { runs, ours: summary(ours), byHand: summary(byHand) };
}

/** The by-hand child copied into the wrapper, so that it resolves the wrapper's SDKs. */
function inWrapper(kit: KitWrapper): string {
  const dir = path.join(kit.dir, "by-hand");
  mkdirSync(dir, { recursive: true });
  for (const script of ["by-hand.js", "report.js"]) {
    copyFileSync(childScript(script), path.join(dir, script));
  }
  return path.join(dir, "by-hand.js");
}

/** Runs one child in a fresh process; fails loudly unless it reports a token. */
function child(
  file: string,
  input: FirstCallInput,
  cwd = functionsDir(),
): Promise<FirstCallReport> {
  const script = path.basename(file);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FIRST_CALL_INPUT: JSON.stringify(input),
    // What the Functions emulator sets in a function's process; the dev-key signer insists on it.
    ...EMULATOR_ENV,
  };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [file],
      { cwd, env, encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) => {
        const line = stdout.split("\n").find((l) => l.startsWith(REPORT_PREFIX));
        if (error !== null || line === undefined) {
          reject(new Error(`${script} served no token: ${error?.message ?? ""} ${stderr.trim()}`));
          return;
        }
        const report = JSON.parse(line.slice(REPORT_PREFIX.length)) as FirstCallReport;
        if (report.tokenLength < 100) {
          reject(new Error(`${script} returned no token`));
          return;
        }
        resolve(report);
      },
    );
  });
}

/**
 * The compiled child: next to this file when the benchmark runs from its build, in the build
 * (functions/.bench, `npm run build:bench`) when this file runs from source under vitest.
 */
function childScript(script: string): string {
  const candidates = [
    path.join(__dirname, "fresh-instance", script),
    path.join(functionsDir(), ".bench", "bench", "fresh-instance", script),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new Error(`${script} is not built: run \`npm run build:bench -w functions\` first`);
  }
  return found;
}
