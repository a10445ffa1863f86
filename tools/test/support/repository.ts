import path from "node:path";
import { resolveInstallation, type Installation } from "../../src/shared/firebase-project.js";

/** The repository root, whatever the current directory. */
export const ROOT = path.resolve(__dirname, "..", "..", "..");

/** The repository's own functions codebase, as the tools find it from firebase.json. */
export function repositoryInstallation(): Installation {
  return resolveInstallation({ cwd: ROOT });
}

/** An installation whose params live in `configDir`, like `--functions-dir configDir`. */
export function cloneInstallation(configDir: string): Installation {
  return resolveInstallation({ cwd: ROOT, functionsDir: configDir });
}
