import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** What a finished command printed, and how it ended. */
export interface CommandResult {
  readonly code: number | null;
  readonly output: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/**
 * Runs a command to its end and gives back its interleaved output; rejects, with the output,
 * when it exits with anything but 0 (or times out).
 */
export function run(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<string> {
  return runAllowingFailure(command, args, options).then(({ code, output }) => {
    if (code !== 0) {
      throw new Error(`${command} ${args.join(" ")} exited with ${String(code)}:\n${output}`);
    }
    return output;
  });
}

export function runAllowingFailure(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} timed out:\n${output}`));
    }, options.timeoutMs ?? 600_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** A long-running process whose output is kept, for servers the tests start. */
export interface Server {
  readonly child: ChildProcess;
  output(): string;
  /** Stops it (SIGINT, then SIGKILL after `graceMs`) and waits for it to exit. */
  stop(graceMs?: number): Promise<void>;
}

export function startServer(command: string, args: readonly string[], options: RunOptions): Server {
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: stopping it stops what it started (emulators, function workers).
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  return {
    child,
    output: () => output,
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const group = child.pid === undefined ? undefined : -child.pid;
      const signal = (name: NodeJS.Signals) => {
        try {
          if (group !== undefined) process.kill(group, name);
        } catch {
          // already gone
        }
      };
      signal("SIGINT");
      const timer = setTimeout(() => signal("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      signal("SIGKILL");
    },
  };
}

/** A TCP port that nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns true, or fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  explain: () => string = () => "",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${explain()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The environment of a command a user types: this test's own emulator variables, keys and npm
 * settings removed, so that nothing reaches the app but what the test sets on purpose.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // npm run sets npm_* for its own project; the machine's cache and Node headers stay.
    const npmOwn = /^npm_/i.test(key) && !/^npm_config_(cache|nodedir)$/i.test(key);
    if (
      npmOwn ||
      /^(FIREBASE_|FIRESTORE_|GCLOUD_|GOOGLE_|FLEET_ENGINE_|FUNCTIONS_EMULATOR)/.test(key)
    ) {
      continue;
    }
    env[key] = value;
  }
  return { ...env, CI: "true", ...extra };
}
