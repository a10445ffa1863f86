// @ts-check
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../lib/paths.mjs";

/** The README's merge snippet must be exactly what firestore.rules (tested) contains. */
describe("README Firestore rules snippet", () => {
  it("matches the blocks of firestore.rules line for line", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Firestore rules"));
    const snippet = /```\n(match \/drivers[\s\S]*?)```/.exec(section)?.[1];
    expect(snippet).toBeDefined();
    const normalize = (/** @type {string} */ text) =>
      text
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("//"));
    const rules = normalize(readFileSync(path.join(ROOT, "firestore.rules"), "utf8"));
    const lines = normalize(snippet ?? "");
    expect(lines.length).toBeGreaterThan(10);
    const start = rules.indexOf(lines[0] ?? "");
    expect(rules.slice(start, start + lines.length)).toEqual(lines);
  });
});
