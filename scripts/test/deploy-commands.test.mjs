// @ts-check
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CODEBASE, ROOT } from "../lib/paths.mjs";

/**
 * Every command a reader may copy names the codebase: a bare `--only functions` in a project
 * whose functions live in several codebases deploys (and plans deletions in) all of them. A kit
 * instance is a codebase of its own, named by the instance: the kit's default instance ID, or
 * `<instance>` where the text stands for any.
 */

const KIT_INSTANCE = "fleet-engine-firebase-tokens";
const CODEBASES = [CODEBASE, KIT_INSTANCE, "<instance>"];

const DOCUMENTS = [
  "README.md",
  "kit/README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/**
 * Each `--only` target list in a text, with its line number; an emulator command's `--only`
 * names emulators, not deploy targets.
 */
function onlyTargets(/** @type {string} */ text) {
  return text.split("\n").flatMap((line, index) =>
    [...(line.includes("emulators:") ? [] : line.matchAll(/--only[ =]+([\w:.,<>-]*[\w>-])/g))].map(
      (match) => ({
        line: index + 1,
        targets: (match[1] ?? "").split(","),
      }),
    ),
  );
}

/** `functions` or `functions:<anything but this codebase or a kit instance>` */
const wrongFunctionsTarget = (/** @type {string} */ target) =>
  target === "functions" ||
  (target.startsWith("functions:") &&
    !CODEBASES.some(
      (codebase) =>
        target === `functions:${codebase}` || target.startsWith(`functions:${codebase}:`),
    ));

describe(`deploy commands name the codebase ${CODEBASE}`, () => {
  it("firebase.json: the function's codebase, and the Hosting guard's advice", () => {
    const config = JSON.parse(readFileSync(path.join(ROOT, "firebase.json"), "utf8"));
    expect(config.functions.map((/** @type {any} */ f) => f.codebase)).toEqual([CODEBASE]);
    const guard = config.hosting.predeploy.join("\n");
    expect(guard).toContain(`--only functions:${CODEBASE}`);
    expect(
      onlyTargets(guard)
        .flatMap((o) => o.targets)
        .filter(wrongFunctionsTarget),
    ).toEqual([]);
  });

  it.each(DOCUMENTS)("%s: no `--only functions` without the codebase", (document) => {
    const text = readFileSync(path.join(ROOT, document), "utf8");
    const wrong = onlyTargets(text).filter((o) => o.targets.some(wrongFunctionsTarget));
    expect(wrong.map((o) => `${document}:${o.line} --only ${o.targets.join(",")}`)).toEqual([]);
  });

  it("README deploys with the codebase; deleting names the one function and its region", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(
      `npx firebase deploy --only functions:${CODEBASE} --project my-project`,
    );
    // functions:delete takes function names, not codebases: the callable's name and region.
    const deletes = readme.split("\n").filter((line) => line.includes("functions:delete "));
    expect(deletes.length).toBeGreaterThan(0);
    for (const line of deletes)
      expect(line).toMatch(/functions:delete getFleetEngineToken --region /);
    // A kit instance: the package's README deploys the instance's codebase.
    const kit = readFileSync(path.join(ROOT, "kit", "README.md"), "utf8");
    expect(kit).toContain(`firebase deploy --only functions:${KIT_INSTANCE} --project my-project`);
  });

  it("control: the check catches a bare --only functions", () => {
    const wrong = onlyTargets("npx firebase deploy --only functions --project p\n").filter((o) =>
      o.targets.some(wrongFunctionsTarget),
    );
    expect(wrong).toHaveLength(1);
    expect(onlyTargets("firebase deploy --only functions:<instance>")[0]?.targets).toEqual([
      "functions:<instance>",
    ]);
    expect(wrongFunctionsTarget("functions:someone-elses")).toBe(true);
    expect(onlyTargets("firebase emulators:start --only auth,functions")).toEqual([]);
    expect(onlyTargets(`x --only hosting,functions:${CODEBASE}`)[0]?.targets).toEqual([
      "hosting",
      `functions:${CODEBASE}`,
    ]);
  });
});
