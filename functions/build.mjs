#!/usr/bin/env node
// @ts-check
/**
 * Builds lib/index.js, the one file Cloud Functions loads: src/ bundled by esbuild into CommonJS,
 * with zod and jose inside and the Google SDKs left in node_modules.
 *
 *   npm run build -w functions        (firebase.json's predeploy hook runs the same)
 *
 * Why a bundle: a fresh instance pays for every file it loads (a stat, a read, a compile) and for
 * Node's ESM loader the first time anything calls import(). tsc's output was 25 files plus zod's
 * 95 (64 of them locales that are never used), and its lazy import()s started the ESM loader on
 * the first call. The bundle is one file, tree-shaken, and its lazy imports stay lazy: esbuild
 * turns them into modules initialised on first use, so module load still runs only the callable's
 * definition (docs/performance.md has the measurements).
 *
 * Why these externals: firebase-functions must be the copy that the CLI's loader reads declared
 * params from, and firebase-admin and google-auth-library are large SDKs that find their own files
 * at run time; all three are installed from package.json at deploy, as before.
 *
 * Type checking is not esbuild's job: `npm run typecheck` (tsc, strict) runs in `npm test`.
 */
import { build } from "esbuild";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Small, pure libraries: bundling them saves their file layout at every cold start. */
const BUNDLED = ["zod", "jose"];

const manifest = JSON.parse(readFileSync(path.join(HERE, "package.json"), "utf8"));
const external = Object.keys(manifest.dependencies ?? {})
  .filter((name) => !BUNDLED.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

// Nothing stale may ship: the deploy uploads whatever lib/ holds.
rmSync(path.join(HERE, "lib"), { recursive: true, force: true });
await build({
  absWorkingDir: HERE,
  entryPoints: ["src/index.ts"],
  outfile: "lib/index.js",
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  external,
  // The SDKs' lazy imports too become require(): an import() from CommonJS starts Node's ESM
  // loader, on the first call of every fresh instance.
  supported: { "dynamic-import": false },
  sourcemap: true,
  logLevel: "warning",
});
