import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packKit } from "../support/pack.js";

/**
 * What npm publish would upload: the tarball of `npm pack -w fleet-engine-firebase-tokens`,
 * unpacked, and its bundles loaded in fresh Node processes the way the Firebase CLI and Cloud
 * Functions load them.
 */

const KIT_DIR = path.resolve(__dirname, "..", "..");
let work: string;
let unpacked: string;
let files: string[];

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "kit-pack-"));
  const tarball = await packKit(work);
  execFileSync("tar", ["-xzf", tarball, "-C", work]);
  unpacked = path.join(work, "package");
  files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((file) => file.replace(/^package\//, ""))
    .sort();
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const manifest = () =>
  JSON.parse(readFileSync(path.join(unpacked, "package.json"), "utf8")) as {
    name: string;
    main: string;
    types: string;
    bin: Record<string, string>;
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };

/**
 * Runs `code` in a fresh Node process where the unpacked package finds the SDKs the way an
 * installed one does: in node_modules (the repository's, as an app's would hold them).
 */
function fresh(code: string): string {
  return execFileSync(process.execPath, ["-e", code], {
    cwd: KIT_DIR,
    encoding: "utf8",
    env: { ...process.env, NODE_PATH: path.resolve(KIT_DIR, "..", "node_modules") },
  });
}

describe("the published package", () => {
  it("ships the bundles, their declarations, README, LICENSE and the shrinkwrap, nothing else", () => {
    expect(files).toEqual([
      "LICENSE",
      "README.md",
      "lib/cli.js",
      "lib/index.d.ts",
      "lib/index.js",
      "lib/token-types.d.ts",
      "lib/token/response.d.ts",
      "npm-shrinkwrap.json",
      "package.json",
    ]);
  });

  it("carries no source map and points at none", () => {
    for (const file of files.filter((name) => name.endsWith(".js"))) {
      expect(readFileSync(path.join(unpacked, file), "utf8")).not.toMatch(/sourceMappingURL/);
    }
  });

  it("is named fleet-engine-firebase-tokens, with the Firebase SDKs as peer dependencies", () => {
    const { name, main, types, bin, dependencies, peerDependencies } = manifest();
    expect(name).toBe("fleet-engine-firebase-tokens");
    expect({ main, types }).toEqual({ main: "./lib/index.js", types: "./lib/index.d.ts" });
    expect(bin).toEqual({ "fleet-engine-firebase-tokens": "lib/cli.js" });
    expect(Object.keys(peerDependencies).sort()).toEqual(["firebase-admin", "firebase-functions"]);
    expect(Object.keys(dependencies)).toEqual(["google-auth-library"]);
  });

  it("locks exactly its own runtime dependencies in npm-shrinkwrap.json, never the peers", () => {
    const lock = JSON.parse(readFileSync(path.join(unpacked, "npm-shrinkwrap.json"), "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    const locked = Object.keys(lock.packages);
    expect(lock.packages["node_modules/google-auth-library"]?.version).toBe(
      manifest().dependencies["google-auth-library"],
    );
    expect(locked.filter((key) => /node_modules\/firebase-(functions|admin)$/.test(key))).toEqual(
      [],
    );
  });

  it("requires only Node built-ins and its three SDKs from the function's bundle", () => {
    const source = readFileSync(path.join(unpacked, "lib", "index.js"), "utf8");
    const required = [...source.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]);
    const external = required.filter(
      (id) => id !== undefined && !id.startsWith("node:") && !builtinModules.includes(id),
    );
    expect(new Set(external.map((id) => id?.split("/")[0]))).toEqual(
      new Set(["firebase-functions", "firebase-admin", "google-auth-library"]),
    );
  });

  it("never loads its command line with the function", () => {
    const loaded = JSON.parse(
      fresh(
        `require(${JSON.stringify(path.join(unpacked, "lib", "index.js"))});` +
          "console.log(JSON.stringify(Object.keys(require.cache)))",
      ),
    ) as string[];
    expect(loaded).toContain(path.join(unpacked, "lib", "index.js"));
    expect(loaded.filter((id) => id.startsWith(unpacked))).toEqual([
      path.join(unpacked, "lib", "index.js"),
    ]);
    // No module of the tools is bundled into the function (esbuild names each bundled module).
    expect(readFileSync(path.join(unpacked, "lib", "index.js"), "utf8")).not.toMatch(
      /\.\.\/tools\/src\//,
    );
    expect(readFileSync(path.join(unpacked, "lib", "cli.js"), "utf8")).toMatch(
      /\.\.\/tools\/src\/cli\.ts/,
    );
  });

  it("exports getFleetEngineToken, a v2 callable in the region param of the kit", () => {
    const endpoint = JSON.parse(
      fresh(
        `const kit = require(${JSON.stringify(path.join(unpacked, "lib", "index.js"))});` +
          "console.log(JSON.stringify({ exports: Object.keys(kit), ...kit.getFleetEngineToken.__endpoint }))",
      ),
    ) as { exports: string[]; platform: string; region: string[]; callableTrigger: unknown };
    expect(endpoint.exports).toEqual(["getFleetEngineToken"]);
    expect(endpoint.platform).toBe("gcfv2");
    expect(JSON.stringify(endpoint.region)).toContain("FUNCTION_DEFAULT_REGION");
    expect(endpoint.callableTrigger).toEqual({});
  });

  it("takes over the wrapper's FUNCTION_DEFAULT_REGION, first of its params, and declares no REGION", () => {
    // What the installer's wrapper (templates/init/functions/typescript/index-kit.ts) does
    // before it re-exports the package.
    const params = JSON.parse(
      fresh(
        'const params = require("firebase-functions/params");' +
          'params.defineString("FUNCTION_DEFAULT_REGION", { input: { text: { nonEmpty: true } }, description: "Global default region" });' +
          `require(${JSON.stringify(path.join(unpacked, "lib", "index.js"))});` +
          "console.log(JSON.stringify(params.declaredParams.map((p) => p.toSpec())))",
      ),
    ) as { name: string; description: string; input: Record<string, unknown> }[];
    const names = params.map((param) => param.name);
    expect(names.slice(0, 2)).toEqual(["FUNCTION_DEFAULT_REGION", "ENABLED_TOKEN_TYPES"]);
    expect(names.filter((name) => name === "FUNCTION_DEFAULT_REGION")).toHaveLength(1);
    expect(names).not.toContain("REGION");
    expect(params[0]?.input).toHaveProperty("select");
    expect(params[0]?.description).toMatch(/getFleetEngineToken/);
  });

  it("declares the kit's public type for the wrapper's strict tsc", () => {
    const declaration = readFileSync(path.join(unpacked, "lib", "index.d.ts"), "utf8");
    expect(declaration).toMatch(
      /export declare const getFleetEngineToken: CallableFunction<unknown, Promise<TokenResponse>>/,
    );
  });

  it("has a command line that says how to use it", () => {
    const cli = path.join(unpacked, "lib", "cli.js");
    expect(readFileSync(cli, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    // Its one runtime dependency (google-auth-library) from node_modules, as once installed.
    const env = { ...process.env, NODE_PATH: path.resolve(KIT_DIR, "..", "node_modules") };
    const help = spawnSync(process.execPath, [cli, "--help"], { encoding: "utf8", env });
    expect(help.status).toBe(0);
    for (const command of ["setup-iam", "doctor", "rules", "dev-key"]) {
      expect(help.stdout).toContain(`  ${command} `);
    }
    const unknown = spawnSync(process.execPath, [cli, "deploy-everything"], {
      encoding: "utf8",
      env,
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command deploy-everything/);
  });
});
