import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "./repository.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end in `cwd`, with exactly `env`, and keeps what it printed. */
function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `npm run <script> -- <args>` from the repository root, exactly as the README tells a
 * reader to, with `env` on top of a clean copy of this process's environment.
 */
export function runNpmScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  return run("npm", ["run", script, "--", ...args], ROOT, { ...process.env, ...env });
}

const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const BIN = path.join(ROOT, "tools", "src", "bin.ts");

/**
 * `npx fleet-engine-firebase-tokens <args>` typed in `cwd`: the package's bin (tools/src/bin.ts,
 * which the kit bundles as lib/cli.js), with `env` on top of this process's environment.
 */
export function runPackageCli(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  // Not started by npm: no INIT_CWD, as with npx.
  const { INIT_CWD: _initCwd, ...inherited } = process.env;
  return run(process.execPath, [TSX, BIN, ...args], cwd, { ...inherited, ...env });
}
