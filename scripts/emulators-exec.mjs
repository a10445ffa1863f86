#!/usr/bin/env node
// @ts-check
/**
 * Runs a command inside ONE `firebase emulators:exec` with the real Auth, Firestore and Functions
 * emulators, the way `npm test` runs the integration suite:
 *
 *   node scripts/emulators-exec.mjs -- <command...>
 *
 * Each run signs with a fresh throwaway dev key (FLEET_ENGINE_DEV_KEY_FILE, unless set), so
 * tests verify tokens against a key nobody else has. The function is loaded with the committed
 * functions/.env only (never a developer's .env.local), and a second time with a non-default
 * region and data model (scripts/lib/test-stack.mjs). Fails loudly when an emulator cannot start.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { writeDevKey } from "./lib/dev-key.mjs";
import { findSecrets } from "./lib/log-hygiene.mjs";
import { ROOT, RUNTIME_DIR } from "./lib/paths.mjs";
import { prepareTestConfig, removeTestConfig } from "./lib/test-stack.mjs";
import {
  EMULATORS,
  LOG_DIR,
  StackError,
  loudFailure,
  prepareStack,
  runFirebase,
} from "./lib/stack.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const separator = process.argv.indexOf("--");
const command = separator === -1 ? [] : process.argv.slice(separator + 1);
if (command.length === 0) {
  console.error("usage: node scripts/emulators-exec.mjs -- <command...>");
  process.exit(2);
}

const env = { ...process.env };
if (!env.FLEET_ENGINE_DEV_KEY_FILE) {
  const testKey = path.join(RUNTIME_DIR, "test-dev-key.json");
  writeDevKey(testKey);
  env.FLEET_ENGINE_DEV_KEY_FILE = testKey;
}

const marker = path.join(RUNTIME_DIR, "exec-started");
rmSync(marker, { force: true });
const logFile = path.join(LOG_DIR, "emulators-exec.log");

try {
  const stack = await prepareStack({ env });
  console.log(`Firestore emulator: ${stack.firestoreSource}`);
  const testConfig = prepareTestConfig();
  console.log(
    "Params: functions/.env only (functions/.env.local and .env.<project> are not read by tests).",
  );
  // The demo page holds the callable's region and enabled types from its build: build it with
  // the run's params, not the ones of a developer's .env.local.
  const demoBuild = spawnSync(npm, ["run", "--silent", "build", "-w", "demo"], {
    cwd: ROOT,
    env: { ...env, ...testConfig.env },
    stdio: ["ignore", "ignore", "inherit"],
    shell: process.platform === "win32",
  });
  if (demoBuild.status !== 0) throw new StackError("Could not build the demo page for the run.");
  const script = `node -e "require('fs').writeFileSync(process.argv[1], '')" "${marker}" && ${command.join(" ")}`;
  const { exited } = runFirebase(
    ["--config", testConfig.configFile, "emulators:exec", "--only", EMULATORS.join(","), script],
    { env: { ...env, ...stack.env, ...testConfig.env, EMULATOR_LOG_FILE: logFile }, logFile },
  );
  const code = await exited.finally(removeTestConfig);
  const hygiene = checkLogHygiene(logFile);
  if (code !== 0 && !existsSync(marker)) {
    loudFailure(
      `The Firebase emulators (${EMULATORS.join(", ")}) did not start, so no test ran.\n` +
        `firebase-tools said why above; its full output is in ${path.relative(process.cwd(), logFile)}.`,
    );
  } else if (code !== 0) {
    console.error(
      `\nEmulator and function logs of this run: ${path.relative(process.cwd(), logFile)}`,
    );
  }
  process.exit(code === 0 ? hygiene : code);
} catch (error) {
  if (error instanceof StackError) {
    loudFailure(error.message);
    process.exit(1);
  }
  throw error;
}

/**
 * Token hygiene: every line the emulators (and the functions in them) printed during the run is
 * checked for JWTs, ID tokens and keys. Returns the exit code: 1 when anything leaked.
 * @param {string} file
 */
function checkLogHygiene(file) {
  const text = readFileSync(file, "utf8");
  const hits = findSecrets(text);
  const lines = text.split("\n").length;
  if (hits.length === 0) {
    console.log(`Token hygiene: ${lines} emulator log lines checked; no JWT, ID token or key.`);
    return 0;
  }
  const where = hits
    .slice(0, 20)
    .map((hit) => `  line ${hit.line}: ${hit.kind}`)
    .join("\n");
  loudFailure(
    `Token hygiene: ${hits.length} line(s) the emulators printed contain a secret ` +
      `(see ${path.relative(process.cwd(), file)}):\n${where}`,
  );
  return 1;
}
