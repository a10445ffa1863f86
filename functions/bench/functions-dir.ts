import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** The functions package directory, whether this runs from bench/ or from its build in .bench/. */
export function functionsDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "functions"
    ) {
      return dir;
    }
  }
  throw new Error("cannot find the functions package");
}
