import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * What deploys: functions/lib as build.mjs makes it (the suite runs after `npm run build`). The
 * rest of this suite serves calls from it in the Functions emulator; this file checks its shape.
 */

const FUNCTIONS_DIR = path.resolve(__dirname, "..", "..");
const LIB = path.join(FUNCTIONS_DIR, "lib");
const manifest = JSON.parse(readFileSync(path.join(FUNCTIONS_DIR, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};

/** The module IDs a fresh Node process holds after running `code` in functions/. */
function modulesAfter(code: string): string[] {
  const out = execFileSync(
    process.execPath,
    ["-e", `${code}; console.log(JSON.stringify(Object.keys(require.cache)))`],
    { cwd: FUNCTIONS_DIR, encoding: "utf8" },
  );
  return JSON.parse(out) as string[];
}

describe("the deployed bundle", () => {
  it("is one file and its source map: nothing stale from an older build ships", () => {
    expect(readdirSync(LIB).sort()).toEqual(["index.js", "index.js.map"]);
  });

  it("requires only Node built-ins and the SDKs that package.json installs at deploy", () => {
    const source = readFileSync(path.join(LIB, "index.js"), "utf8");
    const required = new Set(
      [...source.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1] ?? ""),
    );
    const packageOf = (id: string) =>
      id.startsWith("@") ? id.split("/").slice(0, 2).join("/") : (id.split("/")[0] ?? id);
    const sdks = [...required].filter(
      (id) => !id.startsWith("node:") && !builtinModules.includes(id),
    );
    // firebase-functions above all must stay outside: the CLI reads declared params from the
    // copy in node_modules, so a bundled copy would deploy without REGION and the rest.
    expect(sdks).toContain("firebase-functions/https");
    expect(new Set(sdks.map(packageOf))).toEqual(
      new Set(["firebase-functions", "firebase-admin", "google-auth-library"]),
    );
    for (const id of sdks) expect(Object.keys(manifest.dependencies)).toContain(packageOf(id));
  });

  it("loads no module at cold start beyond what firebase-functions/https loads itself", () => {
    const framework = new Set(modulesAfter('require("firebase-functions/https")'));
    const ours = modulesAfter('require("./lib/index.js")');
    expect(ours.filter((id) => !framework.has(id))).toEqual([path.join(LIB, "index.js")]);
  });
});
