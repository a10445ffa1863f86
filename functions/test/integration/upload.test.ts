import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { zipEntries, type ZipEntry } from "../support/zip-entries.js";

/**
 * What `firebase deploy` uploads for this codebase, built exactly as the deploy builds it: the
 * suite runs after `npm run build` (firebase.json's predeploy runs the same build), then
 * firebase-tools' own prepareFunctionsUpload packs functions/ with firebase.json's codebase
 * config, as deploy/functions/prepare.js does for a 2nd gen function. That function applies the
 * `ignore` patterns with minimatch { matchBase: true, dot: true } to ABSOLUTE paths, so only a
 * pattern's effect on the real packer says what ships.
 */

const ROOT = path.resolve(__dirname, "..", "..", "..");
const CODEBASE = "fleet-engine-tokens";
const load = createRequire(__filename);
const { normalizeAndValidate, configForCodebase, requireLocal } = load(
  "firebase-tools/lib/functions/projectConfig.js",
) as {
  normalizeAndValidate(config: unknown): unknown;
  configForCodebase(config: unknown, codebase: string): unknown;
  requireLocal(config: unknown, purpose?: string): { source: string; ignore?: string[] };
};
const { prepareFunctionsUpload } = load(
  "firebase-tools/lib/deploy/functions/prepareFunctionsUpload.js",
) as {
  prepareFunctionsUpload(
    sourceDir: string,
    config: unknown,
  ): Promise<{ pathToSource: string; hash: string } | undefined>;
};

function codebaseConfig() {
  const firebaseJson = JSON.parse(readFileSync(path.join(ROOT, "firebase.json"), "utf8")) as {
    functions: unknown;
  };
  return requireLocal(configForCodebase(normalizeAndValidate(firebaseJson.functions), CODEBASE));
}

async function upload(): Promise<ZipEntry[]> {
  const config = codebaseConfig();
  const packed = await prepareFunctionsUpload(path.join(ROOT, config.source), config);
  if (packed === undefined) throw new Error("prepareFunctionsUpload packed nothing");
  return zipEntries(packed.pathToSource);
}

describe("the upload of `firebase deploy`", () => {
  it("holds the bundle, the manifest, the lockfile and the params, and nothing else", async () => {
    const entries = await upload();
    const names = entries.map((entry) => entry.name).sort();
    // Params files other than .env (.env.<project>, .env.<alias>) ship when a developer has them.
    const params = names.filter((name) => /^\.env\.[^/]+$/.test(name));
    expect(params.filter((name) => name.endsWith(".local"))).toEqual([]);
    expect(names.filter((name) => !params.includes(name))).toEqual([
      ".env",
      "lib/index.js",
      "package-lock.json",
      "package.json",
    ]);
    const bundle = entries.find((entry) => entry.name === "lib/index.js");
    console.log(
      `upload: ${entries.length} files, ${entries.reduce((sum, entry) => sum + entry.size, 0)} bytes; lib/index.js ${bundle?.size ?? 0} bytes`,
    );
  });

  it("ships no source map, no TypeScript source, no test and no build tooling", async () => {
    const names = (await upload()).map((entry) => entry.name);
    expect(names.filter((name) => name.endsWith(".map"))).toEqual([]);
    expect(names.filter((name) => /\.(ts|mts|cts)$/.test(name))).toEqual([]);
    expect(names.filter((name) => /^(src|test|bench|\.bench|node_modules)\//.test(name))).toEqual(
      [],
    );
    expect(
      names.filter((name) => /^(build\.mjs|tsconfig.*\.json|vitest\.config\..*)$/.test(name)),
    ).toEqual([]);
  });

  it("has no ignore pattern with a slash: the packer matches patterns against absolute paths", () => {
    // With matchBase, minimatch compares a pattern without a slash to the basename; one with a
    // slash to the whole absolute path, which `lib/**/*.map` never is.
    expect((codebaseConfig().ignore ?? []).filter((pattern) => pattern.includes("/"))).toEqual([]);
  });

  it("lists as dependencies exactly the packages the bundle requires", () => {
    const functionsDir = path.join(ROOT, "functions");
    const manifest = JSON.parse(readFileSync(path.join(functionsDir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const source = readFileSync(path.join(functionsDir, "lib", "index.js"), "utf8");
    const required = new Set(
      [...source.matchAll(/\brequire\("([^"]+)"\)/g)]
        .map((match) => match[1] ?? "")
        .filter((id) => !id.startsWith("node:") && !id.startsWith("."))
        .map((id) => (id.startsWith("@") ? id.split("/").slice(0, 2).join("/") : id.split("/")[0]))
        .filter((name) => name !== undefined && !isBuiltin(name)),
    );
    // zod and jose are bundled: installing them in the cloud would be for nothing.
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...required].sort());
    // The cloud build runs npm ci against the generated lockfile, which has no devDependencies.
    expect(manifest.devDependencies).toBeUndefined();
  });
});

function isBuiltin(name: string): boolean {
  return (load("node:module") as typeof import("node:module")).builtinModules.includes(name);
}
