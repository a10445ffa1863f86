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
 * at run time; all three are installed from package.json at deploy, as before. They are exactly
 * package.json's `dependencies`: everything else the source imports (zod, jose) is bundled, and
 * so comes from the repository's devDependencies at build time and is not installed in the cloud.
 *
 * The source map is for local debugging (the emulator, stack traces here). It has no
 * sourcesContent, and firebase.json's `ignore` keeps it out of the upload (`*.map`; a pattern with
 * a slash never matches there): test/integration/upload.test.ts builds the upload as the deploy
 * does and checks that neither the map nor any source ships.
 *
 * Type checking is not esbuild's job: `npm run typecheck` (tsc, strict) runs in `npm test`.
 */
import { build } from "esbuild";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));

// Installed at deploy: left as require(). Small, pure libraries (zod, jose) are not dependencies,
// so they are bundled: that saves their file layout at every cold start, and their install.
const manifest = JSON.parse(readFileSync(path.join(HERE, "package.json"), "utf8"));
const external = Object.keys(manifest.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]);

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
  // The map names src/ files by path; their text stays out of it.
  sourcesContent: false,
  logLevel: "warning",
});
