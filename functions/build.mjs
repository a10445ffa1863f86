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
 * The externals (esbuild-options.mjs, shared with the kit package's build) are exactly
 * package.json's `dependencies`, installed at deploy: everything else the source imports (zod,
 * jose) is bundled, and so comes from the repository's devDependencies at build time and is not
 * installed in the cloud (test/integration/upload.test.ts checks the two lists agree).
 *
 * The source map is for local debugging (the emulator, stack traces here). It has no
 * sourcesContent, and firebase.json's `ignore` keeps it out of the upload (`*.map`; a pattern with
 * a slash never matches there): test/integration/upload.test.ts builds the upload as the deploy
 * does and checks that neither the map nor any source ships.
 *
 * Type checking is not esbuild's job: `npm run typecheck` (tsc, strict) runs in `npm test`.
 */
import { build } from "esbuild";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FUNCTION_BUNDLE } from "./esbuild-options.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

// Nothing stale may ship: the deploy uploads whatever lib/ holds.
rmSync(path.join(HERE, "lib"), { recursive: true, force: true });
await build({
  ...FUNCTION_BUNDLE,
  absWorkingDir: HERE,
  entryPoints: ["src/index.ts"],
  outfile: "lib/index.js",
  sourcemap: true,
  // The map names src/ files by path; their text stays out of it.
  sourcesContent: false,
});
