import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../../../scripts/lib/demo-data.mjs";
import { setDocument } from "../../../scripts/lib/emulator-rest.mjs";
import { seedDemoData } from "../../../scripts/lib/seed.mjs";
import { emulatorSigningKey, PROJECT_ID, requireEmulators, ROOT } from "../support/emulators.js";

/**
 * What users install: `npm pack -w web-client` (which builds first), the tarball installed with
 * firebase 12 into an empty temporary folder (no workspace links; from npm's cache, or the npm
 * registry), and there a small TypeScript app (test/packed-app) typechecked with
 * moduleResolution bundler and node16, built with Vite and run in Node against the emulators.
 */

const run = promisify(execFile);
const FIXTURE = path.join(ROOT, "web-client", "test", "packed-app");
const MINUTES = 60_000;
/**
 * The rider's trip for this test alone: the function reuses signed tokens per trip, and the
 * other suites expect a fresh token for trip-1.
 */
const TRIP = "packed-app-trip";
const RIDER = DEMO_USERS.find((user) => user.email === "rider@demo.test")!;

/**
 * The environment of a plain shell: without the npm_* variables that `npm run` sets for this
 * test (workspace selection, the root's prefix), which would steer the nested npm commands.
 */
function shellEnv(): NodeJS.ProcessEnv {
  const keep = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig"]);
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) || keep.has(name)),
  );
}

async function sh(cwd: string, command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      cwd,
      env: shellEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}${stderr ?? ""}`,
      { cause: error },
    );
  }
}

/** The version this repository's lockfile installed, so that npm's cache already has it. */
function lockedVersion(name: string): string {
  const manifest = path.join(ROOT, "node_modules", ...name.split("/"), "package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

let work: string;
let app: string;
let tarball: string;

beforeAll(async () => {
  requireEmulators();
  work = mkdtempSync(path.join(tmpdir(), "fleet-engine-pack-"));
  await sh(ROOT, "npm", ["pack", "--workspace", "web-client", "--pack-destination", work]);
  const packed = readdirSync(work).filter((file) => file.endsWith(".tgz"));
  expect(packed).toHaveLength(1);
  tarball = path.join(work, packed[0]);

  app = path.join(work, "app");
  cpSync(FIXTURE, app, { recursive: true, filter: (source) => !source.includes("node_modules") });
  const firebase = lockedVersion("firebase");
  expect(firebase).toMatch(/^12\./);
  await sh(app, "npm", [
    "install",
    "--no-audit",
    "--no-fund",
    "--prefer-offline",
    "--save-exact",
    tarball,
    `firebase@${firebase}`,
    `typescript@${lockedVersion("typescript")}`,
    `vite@${lockedVersion("vite")}`,
    `@types/node@${lockedVersion("@types/node")}`,
    `@types/google.maps@${lockedVersion("@types/google.maps")}`,
  ]);
  await seedDemoData();
  await setDocument(`trips/${TRIP}`, {
    consumerUids: [RIDER.uid],
    status: "ENROUTE_TO_PICKUP",
  });
}, 10 * MINUTES);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed web client, installed from its tarball", () => {
  it("ships dist/ (JS, declarations, source maps), LICENSE and README, and no tests", async () => {
    const files = (await sh(work, "tar", ["-tzf", tarball])).split("\n").filter(Boolean);
    for (const file of [
      "package/LICENSE",
      "package/README.md",
      "package/package.json",
      "package/dist/index.js",
      "package/dist/index.d.ts",
      "package/dist/index.js.map",
      "package/dist/emulator/index.js",
      "package/dist/emulator/index.d.ts",
    ]) {
      expect(files).toContain(file);
    }
    expect(files.filter((file) => /\/test\/|\.test\.|tsconfig/.test(file))).toEqual([]);
    const installed = path.join(app, "node_modules", "fleet-engine-firebase-tokens-web");
    expect(readFileSync(path.join(installed, "LICENSE"), "utf8")).toBe(
      readFileSync(path.join(ROOT, "LICENSE"), "utf8"),
    );
    // A registry page has no ../: every link of the README is absolute.
    const readme = readFileSync(path.join(installed, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !/^(https:\/\/|#)/.test(link))).toEqual([]);
  });

  it("is a real copy, not a link to the workspace", async () => {
    const resolved = await sh(app, "node", [
      "-p",
      "require('node:fs').realpathSync(require.resolve('fleet-engine-firebase-tokens-web'))",
    ]);
    expect(resolved.trim().startsWith(path.join(app, "node_modules"))).toBe(true);
  });

  it.each(["bundler", "node16"])(
    "typechecks an app with moduleResolution %s",
    async (resolution) => {
      await sh(app, path.join("node_modules", ".bin", "tsc"), [
        "-p",
        `tsconfig.${resolution}.json`,
      ]);
    },
    2 * MINUTES,
  );

  it("imports in plain Node, with import and with require", async () => {
    const exports = "Object.keys(m).sort().join(',')";
    const imported = await sh(app, "node", [
      "--input-type=module",
      "-e",
      `const m = await import('fleet-engine-firebase-tokens-web'); console.log(${exports})`,
    ]);
    const required = await sh(app, "node", [
      "-e",
      `const m = require('fleet-engine-firebase-tokens-web'); console.log(${exports})`,
    ]);
    expect(imported.trim().split(",")).toEqual(
      expect.arrayContaining(["createAuthTokenFetcher", "getFleetEngineToken"]),
    );
    expect(required.trim()).toBe(imported.trim());
  });

  it(
    "builds with Vite and, run in Node, mints the rider's token and nothing of anyone else's",
    async () => {
      await sh(app, path.join("node_modules", ".bin", "vite"), ["build"]);
      const key = emulatorSigningKey();
      const tokenFile = path.join(work, "rider-token");
      const authHost = requireEmulators();
      const output = await sh(app, "node", [
        path.join("dist", "main.js"),
        JSON.stringify({
          authHost,
          functionsHost: "127.0.0.1",
          functionsPort: 5001,
          projectId: PROJECT_ID,
          rider: RIDER.email,
          tripId: TRIP,
          otherTripId: "trip-2", // someone else's
          otherUser: "driver@demo.test",
          password: DEMO_PASSWORD,
          tokenFile,
        }),
      ]);
      const seen = JSON.parse(output.trim().split("\n").at(-1)!) as Record<string, unknown>;
      expect(seen).toMatchObject({
        rider: { type: "consumer", authorization: { tripid: TRIP } },
        otherTrip: "permission-denied",
        fetcher: { sameTokenFromCache: true, riderCalls: 1, afterSwitch: "permission-denied" },
      });
      const { payload } = await jwtVerify(readFileSync(tokenFile, "utf8"), key.publicKey, {
        algorithms: ["RS256"],
        audience: "https://fleetengine.googleapis.com/",
        issuer: key.email,
      });
      expect(payload.authorization).toEqual({ tripid: TRIP });
    },
    3 * MINUTES,
  );
});
