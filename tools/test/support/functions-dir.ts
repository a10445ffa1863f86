import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEFAULT_FUNCTIONS_DIR } from "../../src/shared/paths.js";

/** A throwaway functions codebase directory holding a copy of the real functions/.env. */
export function tempFunctionsDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fe-functions-"));
  copyFileSync(path.join(DEFAULT_FUNCTIONS_DIR, ".env"), path.join(dir, ".env"));
  return dir;
}
