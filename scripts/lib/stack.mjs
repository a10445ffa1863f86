// @ts-check
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { ensureDevKey } from "./dev-key.mjs";
import { javaMajorVersion, prepareFirestoreEmulator } from "./firestore-emulator.mjs";
import { HOST, PORTS, PROJECT_ID, ROOT, RUNTIME_DIR, devKeyFile } from "./paths.mjs";

/**
 * The emulators every run starts: the real Auth, Firestore and Functions emulators, and
 * Hosting for the demo page (demo/dist).
 */
export const EMULATORS = ["auth", "firestore", "functions", "hosting"];

/** The demo page the Hosting emulator serves; `npm run build` makes it. */
export const DEMO_PAGE = path.join(ROOT, "demo", "dist", "index.html");

export class StackError extends Error {}

/** @param {number} port */
function portInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Checks what the emulators need before starting them, so that a failure says what to fix
 * instead of scrolling past in firebase-tools' output.
 * @param {{ env?: NodeJS.ProcessEnv, ports?: Record<string, number> }} [options]
 * @returns {Promise<{ env: Record<string, string>, firestoreSource: string, keyFile: string }>}
 */
export async function prepareStack(options = {}) {
  const env = options.env ?? process.env;
  const java = javaMajorVersion();
  if (java === undefined) {
    throw new StackError(
      "Java is not on PATH. The Firestore emulator is a Java program: install a JRE 11 or newer " +
        "(Debian: apt-get install openjdk-17-jre-headless).",
    );
  }
  const busy = [];
  for (const [name, port] of Object.entries(options.ports ?? PORTS)) {
    if (await portInUse(port)) busy.push(`${name} ${HOST}:${port}`);
  }
  if (busy.length > 0) {
    throw new StackError(
      `Emulator ports already in use: ${busy.join(", ")}. Is \`npm start\` (or another ` +
        "emulator run) still running? Stop it first.",
    );
  }
  if (!existsSync(DEMO_PAGE)) {
    throw new StackError(
      `The demo page is not built (${path.relative(ROOT, DEMO_PAGE)} is missing). Run \`npm run build\`.`,
    );
  }
  const firestore = prepareFirestoreEmulator(env);
  const keyFile = devKeyFile(env);
  ensureDevKey(keyFile);
  return { env: firestore.env, firestoreSource: firestore.source, keyFile };
}

/**
 * Runs firebase-tools from this repository's node_modules with the given arguments. Everything
 * goes to the log file; the console is spared function log lines (prefixed ">", unless
 * echoFunctionLogs) and the emulator's per-call "Beginning execution"/"Finished" chatter.
 * @param {string[]} args
 * @param {{ env: NodeJS.ProcessEnv, logFile: string, echoFunctionLogs?: boolean,
 *   onLine?: (line: string) => void }} options
 * @returns {{ child: import("node:child_process").ChildProcess, exited: Promise<number> }}
 */
export function runFirebase(args, options) {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: "w" });
  const firebaseBin = path.join(
    ROOT,
    "node_modules",
    "firebase-tools",
    "lib",
    "bin",
    "firebase.js",
  );
  const child = spawn(process.execPath, [firebaseBin, ...args, "--project", PROJECT_ID], {
    cwd: ROOT,
    env: { ...options.env, CI: options.env.CI ?? "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  /** @param {NodeJS.ReadableStream} stream @param {NodeJS.WriteStream} out */
  const pump = (stream, out) => {
    createInterface({ input: stream }).on("line", (line) => {
      log.write(line + "\n");
      options.onLine?.(line);
      const functionLog = /^\s*>\s/.test(line);
      const perCallStatus =
        /functions: (Beginning execution of|Finished) "|Loaded environment variables/.test(line);
      if ((options.echoFunctionLogs || !functionLog) && !perCallStatus) out.write(line + "\n");
    });
  };
  if (child.stdout) pump(child.stdout, process.stdout);
  if (child.stderr) pump(child.stderr, process.stderr);
  // "close" comes after the output streams are drained; resolve once the log file is flushed.
  const exited = new Promise((resolve) => {
    child.once("close", (code, signal) => {
      log.end(() => resolve(code ?? (signal ? 128 : 1)));
    });
  });
  return { child, exited };
}

export const LOG_DIR = path.join(RUNTIME_DIR, "logs");

/** @param {string} message */
export function loudFailure(message) {
  const bar = "=".repeat(78);
  process.stderr.write(`\n${bar}\nERROR: ${message}\n${bar}\n\n`);
}
