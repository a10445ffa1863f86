// @ts-check
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CODEBASE, ROOT } from "../lib/paths.mjs";

/**
 * Every command a reader may copy names the codebase: a bare `--only functions` in a project
 * whose functions live in several codebases deploys (and plans deletions in) all of them.
 */

const DOCUMENTS = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** Each `--only` target list in a text, with its line number. */
function onlyTargets(/** @type {string} */ text) {
  return text.split("\n").flatMap((line, index) =>
    [...line.matchAll(/--only[ =]+([\w:.,-]*[\w-])/g)].map((match) => ({
      line: index + 1,
      targets: (match[1] ?? "").split(","),
    })),
  );
}

/** `functions` or `functions:<anything but this codebase>` */
const wrongFunctionsTarget = (/** @type {string} */ target) =>
  target === "functions" ||
  (target.startsWith("functions:") &&
    target !== `functions:${CODEBASE}` &&
    !target.startsWith(`functions:${CODEBASE}:`));

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
  });

  it("control: the check catches a bare --only functions", () => {
    const wrong = onlyTargets("npx firebase deploy --only functions --project p\n").filter((o) =>
      o.targets.some(wrongFunctionsTarget),
    );
    expect(wrong).toHaveLength(1);
    expect(onlyTargets(`x --only hosting,functions:${CODEBASE}`)[0]?.targets).toEqual([
      "hosting",
      `functions:${CODEBASE}`,
    ]);
  });
});
