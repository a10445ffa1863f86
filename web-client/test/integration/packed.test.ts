import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
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
 * What users install: `npm pack -w web-client` (which builds first), the tarball installed into
 * an empty temporary folder (no workspace links; from npm's cache, or the npm registry) once with
 * each firebase major the package supports, 12 and 13, and there a small TypeScript app
 * (test/packed-app) typechecked with moduleResolution bundler and node16, built with Vite and run
 * in Node against the emulators.
 */

const run = promisify(execFile);
const FIXTURE = path.join(ROOT, "web-client", "test", "packed-app");
const MINUTES = 60_000;
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

interface Output {
  stdout: string;
  stderr: string;
}

async function sh(cwd: string, command: string, args: string[]): Promise<Output> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      env: shellEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr };
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}${stderr ?? ""}`,
      { cause: error },
    );
  }
}

/**
 * The version of `name` that a workspace of this repository installed (its own node_modules,
 * else the root's), so that npm's cache already has it.
 */
function lockedVersion(name: string, workspace = "."): string {
  const manifest = [path.join(ROOT, workspace), ROOT]
    .map((dir) => path.join(dir, "node_modules", ...name.split("/"), "package.json"))
    .find((file) => existsSync(file));
  if (manifest === undefined) throw new Error(`${name} is not installed for ${workspace}`);
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/**
 * The two firebase majors of the peer range: 12 as the repository root installs it (the
 * version @firebase/rules-unit-testing needs), 13 as the demo page does.
 */
const MAJORS = [
  { major: 12, firebase: lockedVersion("firebase") },
  { major: 13, firebase: lockedVersion("firebase", "demo") },
];

let work: string;
let tarball: string;

beforeAll(async () => {
  requireEmulators();
  work = mkdtempSync(path.join(tmpdir(), "fleet-engine-pack-"));
  await sh(ROOT, "npm", ["pack", "--workspace", "web-client", "--pack-destination", work]);
  const packed = readdirSync(work).filter((file) => file.endsWith(".tgz"));
  expect(packed).toHaveLength(1);
  tarball = path.join(work, packed[0]);
  await seedDemoData();
}, 10 * MINUTES);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed web client", () => {
  it("ships dist/ (JS, declarations, source maps), LICENSE and README, and no tests", async () => {
    const files = (await sh(work, "tar", ["-tzf", tarball])).stdout.split("\n").filter(Boolean);
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
    const manifest = JSON.parse(
      (await sh(work, "tar", ["-xzOf", tarball, "package/package.json"])).stdout,
    ) as { peerDependencies: Record<string, string> };
    expect(manifest.peerDependencies).toEqual({ firebase: "^12.0.0 || ^13.0.0" });
    // A registry page has no ../: every link of the README is absolute.
    const readme = (await sh(work, "tar", ["-xzOf", tarball, "package/README.md"])).stdout;
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !/^(https:\/\/|#)/.test(link))).toEqual([]);
  });
});

describe.each(MAJORS)("the packed web client with firebase $major ($firebase)", (target) => {
  const app = (): string => path.join(work, `app-firebase-${target.major}`);
  /** This major's own trip: the function reuses signed tokens per trip. */
  const trip = `packed-app-trip-${target.major}`;
  let install: Output;

  beforeAll(async () => {
    expect(target.firebase).toMatch(new RegExp(`^${target.major}\\.`));
    cpSync(FIXTURE, app(), {
      recursive: true,
      filter: (source) => !source.includes("node_modules"),
    });
    install = await sh(app(), "npm", [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--save-exact",
      tarball,
      `firebase@${target.firebase}`,
      `typescript@${lockedVersion("typescript")}`,
      `vite@${lockedVersion("vite")}`,
      `@types/node@${lockedVersion("@types/node")}`,
      `@types/google.maps@${lockedVersion("@types/google.maps", "web-client")}`,
    ]);
    await setDocument(`trips/${trip}`, {
      consumerUids: [RIDER.uid],
      status: "ENROUTE_TO_PICKUP",
    });
  }, 10 * MINUTES);

  it("installs beside it without a peer dependency warning", () => {
    const output = install.stdout + install.stderr;
    expect(output).not.toMatch(/ERESOLVE|peer dep|Could not resolve dependency|conflicting peer/i);
    // firebase 13 itself declares Node >= 24.12 for some of its packages; on Node 22 npm warns
    // about those (EBADENGINE), and only about those: never about this package.
    const engineWarnings = [...output.matchAll(/EBADENGINE\s+package: '([^']+)'/g)].map(
      (match) => match[1],
    );
    expect(engineWarnings.filter((name) => !name.startsWith("@firebase/"))).toEqual([]);
    const installed = JSON.parse(
      readFileSync(path.join(app(), "node_modules", "firebase", "package.json"), "utf8"),
    ) as { version: string };
    expect(installed.version).toBe(target.firebase);
  });

  it("is a real copy, not a link to the workspace, with its LICENSE", async () => {
    const resolved = await sh(app(), "node", [
      "-p",
      "require('node:fs').realpathSync(require.resolve('fleet-engine-firebase-tokens-web'))",
    ]);
    expect(resolved.stdout.trim().startsWith(path.join(app(), "node_modules"))).toBe(true);
    const installed = path.join(app(), "node_modules", "fleet-engine-firebase-tokens-web");
    expect(readFileSync(path.join(installed, "LICENSE"), "utf8")).toBe(
      readFileSync(path.join(ROOT, "LICENSE"), "utf8"),
    );
  });

  it.each(["bundler", "node16"])(
    "typechecks an app with moduleResolution %s",
    async (resolution) => {
      await sh(app(), path.join("node_modules", ".bin", "tsc"), [
        "-p",
        `tsconfig.${resolution}.json`,
      ]);
    },
    2 * MINUTES,
  );

  it("imports in plain Node, with import and with require", async () => {
    const exports = "Object.keys(m).sort().join(',')";
    const imported = await sh(app(), "node", [
      "--input-type=module",
      "-e",
      `const m = await import('fleet-engine-firebase-tokens-web'); console.log(${exports})`,
    ]);
    const required = await sh(app(), "node", [
      "-e",
      `const m = require('fleet-engine-firebase-tokens-web'); console.log(${exports})`,
    ]);
    expect(imported.stdout.trim().split(",")).toEqual(
      expect.arrayContaining(["createAuthTokenFetcher", "getFleetEngineToken"]),
    );
    expect(required.stdout.trim()).toBe(imported.stdout.trim());
  });

  it(
    "builds with Vite and, run in Node, mints the rider's token and nothing of anyone else's",
    async () => {
      await sh(app(), path.join("node_modules", ".bin", "vite"), ["build"]);
      const key = emulatorSigningKey();
      const tokenFile = path.join(work, `rider-token-${target.major}`);
      const authHost = requireEmulators();
      const output = await sh(app(), "node", [
        path.join("dist", "main.js"),
        JSON.stringify({
          authHost,
          functionsHost: "127.0.0.1",
          functionsPort: 5001,
          projectId: PROJECT_ID,
          rider: RIDER.email,
          tripId: trip,
          otherTripId: "trip-2", // someone else's
          otherUser: "driver@demo.test",
          password: DEMO_PASSWORD,
          tokenFile,
        }),
      ]);
      const seen = JSON.parse(output.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
      expect(seen).toMatchObject({
        sdkVersion: target.firebase,
        rider: { type: "consumer", authorization: { tripid: trip } },
        otherTrip: "permission-denied",
        fetcher: { sameTokenFromCache: true, riderCalls: 1, afterSwitch: "permission-denied" },
      });
      const { payload } = await jwtVerify(readFileSync(tokenFile, "utf8"), key.publicKey, {
        algorithms: ["RS256"],
        audience: "https://fleetengine.googleapis.com/",
        issuer: key.email,
      });
      expect(payload.authorization).toEqual({ tripid: trip });
    },
    3 * MINUTES,
  );
});
