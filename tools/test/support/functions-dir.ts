import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./repository.js";

/** A throwaway functions codebase directory holding a copy of the real functions/.env. */
export function tempFunctionsDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fe-functions-"));
  copyFileSync(path.join(ROOT, "functions", ".env"), path.join(dir, ".env"));
  return dir;
}
