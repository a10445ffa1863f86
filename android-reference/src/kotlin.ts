import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/**
 * The Kotlin of docs/clients.md, compiled with kotlinc from the npm package `kotlin-compiler`
 * (bin/kotlinc, which runs on the machine's Java) against this workspace's stubs, plumbing and
 * JVM test. One compilation per content: the output directory is named by the hash of every
 * input, so the unit run compiles and the integration run of the same `npm test` reuses it.
 */

export const WORKSPACE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = path.resolve(WORKSPACE, "..");
export const CLIENTS_DOC = "docs/clients.md";

/** Kotlin sources compiled with the page's blocks: stubs, their plumbing, the JVM test. */
export const SOURCE_DIRS = ["stubs", "emulator", "jvm-test"].map((dir) =>
  path.join(WORKSPACE, dir),
);

const BUILD_DIR = path.join(WORKSPACE, "build");
const COMPILED_MARKER = ".compiled";

const KOTLIN_HOME = path.dirname(
  createRequire(import.meta.url).resolve("kotlin-compiler/package.json"),
);
export const KOTLIN_VERSION = (
  JSON.parse(readFileSync(path.join(KOTLIN_HOME, "package.json"), "utf8")) as { version: string }
).version;
const KOTLINC = path.join(KOTLIN_HOME, "bin", "kotlinc");
const COROUTINES_JAR = path.join(KOTLIN_HOME, "lib", "kotlinx-coroutines-core-jvm.jar");
/** What the compiled classes need at run time, besides themselves. */
export const RUNTIME_JARS = [path.join(KOTLIN_HOME, "lib", "kotlin-stdlib.jar"), COROUTINES_JAR];

export interface KotlinBlock {
  /** The document, relative to the repository root. */
  readonly document: string;
  /** 1-based line of the block's first code line in its document. */
  readonly line: number;
  readonly code: string;
}

/** The ```kotlin blocks of a Markdown text. */
export function kotlinBlocks(markdown: string, document: string): KotlinBlock[] {
  const lines = markdown.split("\n");
  const blocks: KotlinBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^```(\S*)\s*$/.exec(lines[index] ?? "");
    if (!open) continue;
    const end = lines.findIndex((line, at) => at > index && line.startsWith("```"));
    if (end === -1) throw new Error(`${document}:${index + 1}: unclosed code block`);
    if (open[1] === "kotlin") {
      blocks.push({ document, line: index + 2, code: lines.slice(index + 1, end).join("\n") });
    }
    index = end;
  }
  return blocks;
}

export function clientsDocBlocks(): KotlinBlock[] {
  return kotlinBlocks(readFileSync(path.join(ROOT, CLIENTS_DOC), "utf8"), CLIENTS_DOC);
}

/**
 * A block's file: as many empty lines first as precede the block in its document, so that
 * kotlinc's line numbers are the document's.
 */
function blockFileName(block: KotlinBlock): string {
  return `${block.document.replace(/[^\w]+/g, "-")}-L${block.line}.kt`;
}

function writeBlock(dir: string, block: KotlinBlock): string {
  const file = path.join(dir, blockFileName(block));
  writeFileSync(file, "\n".repeat(block.line - 1) + block.code + "\n");
  return file;
}

function kotlinFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".kt"))
    .sort()
    .map((file) => path.join(dir, file));
}

export interface Compilation {
  readonly ok: boolean;
  /** kotlinc's messages, block files named by their document (`docs/clients.md:120:5: error: ...`). */
  readonly diagnostics: readonly string[];
}

/** Compiles the blocks and the sources into `out` (classes), warnings as errors. */
export async function compileKotlin(options: {
  blocks: readonly KotlinBlock[];
  sourceDirs: readonly string[];
  out: string;
}): Promise<Compilation> {
  const sources = `${options.out}.sources`;
  rmSync(sources, { recursive: true, force: true });
  mkdirSync(sources, { recursive: true });
  const byFile = new Map<string, KotlinBlock>();
  for (const block of options.blocks) byFile.set(writeBlock(sources, block), block);
  const files = [...byFile.keys(), ...options.sourceDirs.flatMap(kotlinFiles)];
  const args = [
    KOTLINC,
    "-Werror",
    "-jvm-target",
    "17",
    "-cp",
    COROUTINES_JAR,
    "-d",
    options.out,
    ...files,
  ];
  const result = await promisify(execFile)("bash", args, { maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ ok: true, output: stdout + stderr }),
    (error: { stdout?: string; stderr?: string; message: string }) => ({
      ok: false,
      output: `${error.stdout ?? ""}${error.stderr ?? ""}` || error.message,
    }),
  );
  rmSync(sources, { recursive: true, force: true });
  const diagnostics = result.output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      for (const [file, block] of byFile) {
        if (line.startsWith(`${file}:`)) return block.document + line.slice(file.length);
      }
      return line.replaceAll(`${ROOT}${path.sep}`, "");
    });
  return { ok: result.ok, diagnostics };
}

/** The hash of everything a compilation depends on. */
function inputsHash(blocks: readonly KotlinBlock[]): string {
  const hash = createHash("sha256").update(`kotlinc ${KOTLIN_VERSION}\n`);
  for (const block of blocks) hash.update(`${block.document}:${block.line}\n${block.code}\n`);
  for (const file of SOURCE_DIRS.flatMap(kotlinFiles)) {
    hash.update(`${path.relative(WORKSPACE, file)}\n${readFileSync(file, "utf8")}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

export interface CompiledClients {
  /** Directory of the compiled classes. */
  readonly classes: string;
  /** The `java -cp` of the JVM test. */
  readonly classpath: string;
  /** False when an earlier run of the same inputs had compiled them already. */
  readonly compiledNow: boolean;
}

/**
 * The Kotlin blocks of docs/clients.md with the stubs and the JVM test, compiled once per
 * content. Throws with kotlinc's diagnostics, at their lines in docs/clients.md, if they do not
 * compile.
 */
export async function compiledClients(): Promise<CompiledClients> {
  const blocks = clientsDocBlocks();
  const classes = path.join(BUILD_DIR, `kotlin-${inputsHash(blocks)}`);
  const classpath = [classes, ...RUNTIME_JARS].join(path.delimiter);
  if (existsSync(path.join(classes, COMPILED_MARKER))) {
    return { classes, classpath, compiledNow: false };
  }
  const partial = `${classes}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const compilation = await compileKotlin({ blocks, sourceDirs: SOURCE_DIRS, out: partial });
  if (!compilation.ok) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(
      `kotlinc refused the Kotlin of ${CLIENTS_DOC}:\n${compilation.diagnostics.join("\n")}`,
    );
  }
  writeFileSync(path.join(partial, COMPILED_MARKER), `kotlinc ${KOTLIN_VERSION}\n`);
  // Older outputs are of other contents: keep only this one.
  for (const old of existsSync(BUILD_DIR) ? readdirSync(BUILD_DIR) : []) {
    if (old.startsWith("kotlin-") && path.join(BUILD_DIR, old) !== partial) {
      rmSync(path.join(BUILD_DIR, old), { recursive: true, force: true });
    }
  }
  renameSync(partial, classes);
  return { classes, classpath, compiledNow: true };
}
