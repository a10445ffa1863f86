// @ts-check
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../lib/paths.mjs";

/**
 * Docs that compile: every TypeScript code block of these documents is typechecked, each as its
 * own module, against the real types of `firebase`, `@types/google.maps` and the web client
 * package (its sources, through the workspace's `fleet-engine-source` condition; the built
 * `dist/` types are checked by the pack test). A block that is deliberately not a program
 * (a request or response shape) is marked on the line before its fence with FRAGMENT_MARKER.
 *
 * Kotlin blocks are compiled with kotlinc and run on the JVM by android-reference/; Swift blocks
 * cannot be compiled here (no Swift toolchain on Linux): they stay reference code, checked by
 * review and by scripts/test/client-caches.test.mjs.
 */
const DOCUMENTS = ["README.md", "kit/README.md", "web-client/README.md", "docs/clients.md"];
const FRAGMENT_MARKER = "<!-- typecheck: fragment -->";
/** A block that is a file of the repository, quoted whole: compiled and run where it lives. */
const INCLUDED_MARKER = /^<!-- included: (\S+) -->$/;

/**
 * The names the examples take from the reader's app, as any app has them. Each block is its own
 * module, so a block that declares one of these itself shadows it.
 */
const AMBIENT = `
import type { FirebaseApp, FirebaseOptions } from "firebase/app";
import type { Functions } from "firebase/functions";
declare global {
  const firebaseConfig: FirebaseOptions;
  const app: FirebaseApp;
  const functions: Functions;
  const projectId: string;
  const tripId: string;
  const siteKey: string;
}
export {};
`;

/** @type {ts.CompilerOptions} */
const OPTIONS = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: ["google.maps"],
  typeRoots: [path.join(ROOT, "node_modules", "@types")],
  customConditions: ["fleet-engine-source"],
  skipLibCheck: true,
  noEmit: true,
};

/**
 * @typedef {{ document: string, line: number, code: string, fragment: boolean,
 *   included: string | undefined }} Block
 *   `line` is the 1-based line of the block's first code line in its document; `included` the
 *   repository file the block quotes.
 */

/** @param {string} document @returns {Block[]} */
export function typescriptBlocks(document) {
  const lines = readFileSync(path.join(ROOT, document), "utf8").split("\n");
  /** @type {Block[]} */
  const blocks = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^```(\S*)/.exec(lines[index] ?? "");
    if (!open) continue;
    const end = lines.findIndex((line, at) => at > index && line.startsWith("```"));
    if (end === -1) throw new Error(`${document}:${index + 1}: unclosed code block`);
    if (open[1] === "ts" || open[1] === "typescript") {
      let before = index - 1;
      while (before >= 0 && (lines[before] ?? "").trim() === "") before--;
      const marker = (lines[before] ?? "").trim();
      blocks.push({
        document,
        line: index + 2,
        code: lines.slice(index + 1, end).join("\n"),
        fragment: marker === FRAGMENT_MARKER,
        included: INCLUDED_MARKER.exec(marker)?.[1],
      });
    }
    index = end;
  }
  return blocks;
}

/**
 * Typechecks blocks in one program; returns one line per diagnostic, `document:line: TSnnnn ...`.
 * @param {readonly Block[]} blocks
 */
export function typecheckBlocks(blocks) {
  const dir = path.join(ROOT, ".doc-blocks"); // virtual: nothing is written there
  /** @type {Map<string, Block | null>} */
  const files = new Map([[path.join(dir, "ambient.d.ts"), null]]);
  blocks.forEach((block, index) => {
    const name = `${block.document.replace(/[^\w]+/g, "-")}-${block.line}-${index}.ts`;
    files.set(path.join(dir, name), block);
  });
  const text = (/** @type {string} */ file) => {
    const block = files.get(file);
    return block === undefined ? undefined : block === null ? AMBIENT : block.code;
  };
  const host = ts.createCompilerHost(OPTIONS);
  const { fileExists, readFile, getSourceFile } = host;
  host.getCurrentDirectory = () => ROOT;
  host.fileExists = (file) => files.has(path.resolve(file)) || fileExists.call(host, file);
  host.readFile = (file) => text(path.resolve(file)) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const source = text(path.resolve(file));
    return source === undefined
      ? getSourceFile.call(host, file, language, ...rest)
      : ts.createSourceFile(file, source, language, true, ts.ScriptKind.TS);
  };
  const program = ts.createProgram([...files.keys()], OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const file = diagnostic.file;
    const block = file ? files.get(path.resolve(file.fileName)) : undefined;
    if (!file || !block || diagnostic.start === undefined) {
      return `${file?.fileName ?? "(program)"}: TS${diagnostic.code} ${message}`;
    }
    const { line } = file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${block.document}:${block.line + line}: TS${diagnostic.code} ${message}`;
  });
}

const blocks = DOCUMENTS.flatMap(typescriptBlocks);
const programs = blocks.filter((block) => !block.fragment && block.included === undefined);
const included = blocks.filter((block) => block.included !== undefined);

describe("TypeScript code blocks of the documentation", () => {
  it("finds the examples of every document", () => {
    for (const document of DOCUMENTS) {
      expect(
        programs.filter((block) => block.document === document).length,
        document,
      ).toBeGreaterThan(0);
    }
    // Fragments are the README's request and response shapes, nothing else.
    expect(blocks.filter((block) => block.fragment).map((block) => block.document)).toEqual([
      "README.md",
      "README.md",
    ]);
  });

  it("compiles every block that is not marked as a fragment", { timeout: 60_000 }, () => {
    expect(typecheckBlocks(programs)).toEqual([]);
  });

  it("quotes included files exactly as they are (they are typechecked and run where they live)", () => {
    expect(included.map((block) => block.included)).toEqual([
      "functions/test/integration/adopter-data-model.test.ts",
    ]);
    for (const block of included) {
      const file = readFileSync(path.join(ROOT, /** @type {string} */ (block.included)), "utf8");
      expect(`${block.code}\n`, `${block.document}:${block.line}`).toBe(file);
    }
  });

  it("reports an example that does not compile, at its line in its document", () => {
    const broken = [
      {
        document: "broken.md",
        line: 10,
        fragment: false,
        included: undefined,
        code: [
          'import { createAuthTokenFetcher } from "fleet-engine-firebase-tokens-web";',
          "new google.maps.journeySharing.FleetEngineTripLocationProvider({",
          "  projectId,",
          '  authTokenFetcher: createAuthTokenFetcher(functions, { type: "consumer" }),',
          "  tripId,",
          "});",
          'createAuthTokenFetcher(functions, { type: "rider" });',
        ].join("\n"),
      },
    ];
    const errors = typecheckBlocks(broken);
    // pollingIntervalMillis is required by @types/google.maps; "rider" is no token type.
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^broken\.md:11: TS2345 .*pollingIntervalMillis/s);
    expect(errors[1]).toMatch(/^broken\.md:16: TS2322 .*"rider"/s);
  });
});
