// @ts-check
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_MODEL, dataModel, readEnvFile } from "../lib/params.mjs";
import { ROOT } from "../lib/paths.mjs";
import { assignmentRuleLines, renderRules } from "../lib/rules.mjs";

describe("firestore.rules and the README", () => {
  it("firestore.rules is what `npm run rules` writes from functions/.env", () => {
    const committed = readFileSync(path.join(ROOT, "firestore.rules"), "utf8");
    const model = dataModel(readEnvFile(path.join(ROOT, "functions", ".env")));
    expect(committed).toBe(renderRules(model, "functions/.env"));
  });

  it("the README's merge snippet is exactly the generated blocks of the default data model", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Firestore rules"));
    const snippet = /```\n(\/\/ True when[\s\S]*?)```/.exec(section)?.[1];
    expect(snippet).toBeDefined();
    const blocks = assignmentRuleLines(DEFAULT_DATA_MODEL);
    expect(blocks.length).toBeGreaterThan(15);
    expect((snippet ?? "").trimEnd().split("\n")).toEqual(blocks);
  });
});
