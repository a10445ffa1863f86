import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { freePort, run, userEnv, type RunOptions } from "./processes.js";

/**
 * A Firebase app as a team has it before adopting the kit: a firebase.json with its own
 * functions codebase (`default`, one callable), and the Firebase CLI 15 that installs and runs
 * function kits.
 */

export const KIT_PACKAGE = "fleet-engine-firebase-tokens";
export const APP_PROJECT = "demo-kit-app";

/** firebase-tools 15 (the kit workspace's dev dependency; the repository's own stack runs 14). */
export const FIREBASE_15 = path.join(
  path.dirname(createRequire(__filename).resolve("firebase-tools/package.json")),
  "lib",
  "bin",
  "firebase.js",
);

export interface EmulatorPorts {
  readonly auth: number;
  readonly functions: number;
  readonly hub: number;
  readonly logging: number;
  readonly eventarc: number;
  readonly tasks: number;
}

export interface App {
  readonly dir: string;
  readonly ports: EmulatorPorts;
  /** The environment of a command typed in the app: npm resolves through `registry`. */
  readonly env: NodeJS.ProcessEnv;
}

/** The app's own function: proof that installing the kit leaves it served and untouched. */
const APP_FUNCTION = `const { onCall } = require("firebase-functions/https");

// The app's own callable, in its own \`default\` codebase.
exports.hello = onCall((request) => ({ hello: request.auth ? request.auth.uid : "anonymous" }));
`;

export async function createApp(dir: string, registry: string): Promise<App> {
  const ports: EmulatorPorts = {
    auth: await freePort(),
    functions: await freePort(),
    hub: await freePort(),
    logging: await freePort(),
    eventarc: await freePort(),
    tasks: await freePort(),
  };
  mkdirSync(path.join(dir, "functions"), { recursive: true });
  const emulator = (port: number) => ({ host: "127.0.0.1", port });
  writeJson(path.join(dir, "firebase.json"), {
    functions: [{ source: "functions", codebase: "default" }],
    emulators: {
      singleProjectMode: true,
      auth: emulator(ports.auth),
      functions: emulator(ports.functions),
      hub: emulator(ports.hub),
      logging: emulator(ports.logging),
      eventarc: emulator(ports.eventarc),
      tasks: emulator(ports.tasks),
      ui: { enabled: false },
    },
  });
  writeJson(path.join(dir, ".firebaserc"), { projects: { default: APP_PROJECT } });
  writeJson(path.join(dir, "functions", "package.json"), {
    name: "app-functions",
    private: true,
    main: "index.js",
    engines: { node: "22" },
    dependencies: { "firebase-admin": "13.10.0", "firebase-functions": "7.4.0" },
  });
  writeFileSync(path.join(dir, "functions", "index.js"), APP_FUNCTION);
  const app: App = { dir, ports, env: userEnv({ npm_config_registry: registry }) };
  await run("npm", ["install", "--no-audit", "--no-fund"], {
    cwd: path.join(dir, "functions"),
    env: app.env,
  });
  return app;
}

/** Runs the Firebase CLI 15 in the app folder. */
export function firebase(app: App, args: readonly string[], options: Partial<RunOptions> = {}) {
  return run(process.execPath, [FIREBASE_15, ...args], { cwd: app.dir, env: app.env, ...options });
}

/** The function kits of the app's firebase.json, as the installer wrote them. */
export function kitEntries(app: App): {
  kit: string;
  sourcePackage?: { name: string };
  source: string;
  instances: Record<string, string>;
}[] {
  const config = JSON.parse(readFileSync(path.join(app.dir, "firebase.json"), "utf8")) as {
    functions: { kit?: string }[];
  };
  return config.functions.filter((entry) => entry.kit !== undefined) as never;
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes a dotenv file from `values`, one KEY=value line each. */
export function writeEnv(file: string, values: Readonly<Record<string, string>>): void {
  writeFileSync(
    file,
    Object.entries(values)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(""),
  );
}
