import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  clientsDocBlocks,
  compileKotlin,
  compiledClients,
  kotlinBlocks,
  KOTLIN_VERSION,
  WORKSPACE,
} from "../../src/kotlin.js";

/**
 * The Android code of docs/clients.md compiles: its Kotlin blocks, as they are in the page, with
 * kotlinc (warnings as errors) against stubs of the APIs they use. The JVM test of the cache is
 * test/integration/jvm-cache.test.ts.
 */

const scratch = mkdtempSync(path.join(tmpdir(), "kotlin-blocks-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the Kotlin blocks of docs/clients.md", () => {
  const blocks = clientsDocBlocks();

  it("are the cache and the two SDK factories", () => {
    expect(blocks.map((block) => /^class (\w+)/m.exec(block.code)?.[1])).toEqual([
      "FleetEngineTokens",
      "DriverAuthTokenFactory",
      "TripAuthTokenFactory",
    ]);
    // The callable's name is a parameter, with the deploy's name as the default.
    expect(blocks[0]?.code).toMatch(/functionName: String = FUNCTION_NAME/);
    expect(blocks[0]?.code).toMatch(/const val FUNCTION_NAME = "getFleetEngineToken"/);
  });

  it(
    `compile with kotlinc ${KOTLIN_VERSION} against the stubs, warnings as errors`,
    { timeout: 240_000 },
    async () => {
      const { classes } = await compiledClients();
      const compiled = readdirSync(classes, { recursive: true, encoding: "utf8" });
      for (const type of [
        "FleetEngineTokens",
        "FleetEngineTokenException",
        "DriverAuthTokenFactory",
        "TripAuthTokenFactory",
        "JvmCacheTestKt",
      ]) {
        expect(compiled).toContain(`${type}.class`);
      }
    },
  );
});

describe("kotlinc diagnostics", () => {
  it(
    "name a block that does not compile at its line in its document",
    { timeout: 120_000 },
    async () => {
      const markdown = [
        "# A page",
        "",
        "```kotlin",
        "fun fine(): Int = 1",
        "```",
        "",
        "Text.",
        "",
        "```kotlin",
        "fun broken(): String = fine()",
        "```",
      ].join("\n");
      const blocks = kotlinBlocks(markdown, "docs/page.md");
      expect(blocks.map((block) => block.line)).toEqual([4, 10]);
      const result = await compileKotlin({
        blocks,
        sourceDirs: [],
        out: path.join(scratch, "out"),
      });
      expect(result.ok).toBe(false);
      expect(result.diagnostics.join("\n")).toMatch(/^docs\/page\.md:10:\d+: error: .*mismatch/m);
    },
  );
});

describe("the stubs", () => {
  const stubs = readdirSync(path.join(WORKSPACE, "stubs"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".kt"))
    .map((file) => path.join(WORKSPACE, "stubs", file));

  it("each cite the reference page they mirror", () => {
    expect(stubs.length).toBeGreaterThan(10);
    for (const file of stubs) {
      expect(readFileSync(file, "utf8"), path.relative(WORKSPACE, file)).toMatch(
        /^ \* Reference: https:\/\/\S+$/m,
      );
    }
  });

  it("declare the packages the page imports, in the folders of those packages", () => {
    for (const file of stubs) {
      const declared = /^package ([\w.]+)$/m.exec(readFileSync(file, "utf8"))?.[1];
      expect(path.dirname(path.relative(path.join(WORKSPACE, "stubs"), file))).toBe(
        declared?.replaceAll(".", path.sep),
      );
    }
    const imported = clientsDocBlocks()
      .flatMap((block) => [...block.code.matchAll(/^import ([\w.]+)$/gm)].map((m) => m[1]))
      .filter((name) => !name.startsWith("kotlinx.coroutines.") || name.includes(".tasks."));
    // Every class the page imports from an SDK is stubbed (coroutines core is real).
    for (const name of imported) {
      const [pkg] = /^[a-z.]+(?=\.)/.exec(name) ?? [""];
      expect(existsSync(path.join(WORKSPACE, "stubs", ...pkg.split("."))), name).toBe(true);
    }
  });
});
