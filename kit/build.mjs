#!/usr/bin/env node
// @ts-check
/**
 * Builds what the npm package fleet-engine-firebase-tokens ships, into lib/:
 *
 * - index.js: the function, functions/src/kit.ts bundled exactly like the cloned codebase's
 *   functions/lib/index.js (../functions/esbuild-options.mjs): zod and jose inside, the SDKs
 *   external. firebase-functions and firebase-admin are the app's (peer dependencies), so that
 *   the CLI reads this kit's params from the one copy of firebase-functions the wrapper loads.
 * - index.d.ts and the declarations it imports: what tsc emits for kit.ts, so that the wrapper
 *   the installer scaffolds compiles under `strict`. Only that closure ships, not the
 *   declarations of every internal module.
 * - cli.js: the command line (tools/src/bin.ts: setup-iam, doctor, dev-key), its own bundle, so
 *   that the function never loads it.
 *
 * No source maps and no sources ship.
 *
 *   npm run build -w fleet-engine-firebase-tokens   (npm pack runs it as prepack)
 */
import { build } from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { FUNCTION_BUNDLE } from "../functions/esbuild-options.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FUNCTIONS_SRC = path.resolve(HERE, "../functions/src");
const KIT_ENTRY = path.join(FUNCTIONS_SRC, "kit.ts");
const LIB = path.join(HERE, "lib");

rmSync(LIB, { recursive: true, force: true });

await build({
  ...FUNCTION_BUNDLE,
  absWorkingDir: HERE,
  entryPoints: [KIT_ENTRY],
  outfile: path.join(LIB, "index.js"),
});

await build({
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  absWorkingDir: HERE,
  entryPoints: [path.resolve(HERE, "../tools/src/bin.ts")],
  outfile: path.join(LIB, "cli.js"),
  banner: { js: "#!/usr/bin/env node" },
  // ES module builds where a package has one (jsonc-parser's UMD build requires its files
  // dynamically, which a bundle cannot follow).
  mainFields: ["module", "main"],
  // The package's one runtime dependency; everything else of the tools is bundled.
  external: ["google-auth-library", "google-auth-library/*"],
  logLevel: "warning",
});

writeDeclarations();

/**
 * tsc's declarations of the kit's entry and of the modules its declaration imports, and no
 * more: index.d.ts is kit.d.ts, the others keep their place relative to it.
 */
function writeDeclarations() {
  /** @type {Map<string, string>} */
  const emitted = new Map();
  const program = ts.createProgram([KIT_ENTRY], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2024.d.ts"],
    types: ["node"],
    strict: true,
    skipLibCheck: true,
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: FUNCTIONS_SRC,
    outDir: "/declarations",
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    throw new Error(ts.formatDiagnostics(diagnostics, ts.createCompilerHost({})));
  }
  program.emit(undefined, (file, text) => emitted.set(path.relative("/declarations", file), text));

  const queue = ["kit.d.ts"];
  const shipped = new Set(queue);
  while (queue.length > 0) {
    const file = /** @type {string} */ (queue.shift());
    const text = emitted.get(file);
    if (text === undefined) throw new Error(`tsc emitted no ${file}`);
    for (const [, specifier] of text.matchAll(/from\s+"(\.{1,2}\/[^"]+)\.js"/g)) {
      const imported = path.join(path.dirname(file), `${specifier}.d.ts`);
      if (!shipped.has(imported)) {
        shipped.add(imported);
        queue.push(imported);
      }
    }
    const target = path.join(LIB, file === "kit.d.ts" ? "index.d.ts" : file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}
