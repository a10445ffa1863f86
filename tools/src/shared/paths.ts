import { existsSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./usage-error.js";

/** The repository root, whatever the current directory. */
export const ROOT = path.resolve(__dirname, "..", "..", "..");

/** The Cloud Functions codebase whose .env files hold the params. */
export const DEFAULT_FUNCTIONS_DIR = path.join(ROOT, "functions");

/**
 * Paths given on the command line are relative to where the user typed the command: npm runs
 * workspace scripts elsewhere and keeps the original directory in INIT_CWD.
 */
export function resolveUserPath(value: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), value);
}

/** The --functions-dir option: the repository's functions/ unless given, and it must exist. */
export function functionsDirOption(value: string | undefined): string {
  const dir = value === undefined ? DEFAULT_FUNCTIONS_DIR : resolveUserPath(value);
  if (!existsSync(dir)) throw new UsageError(`--functions-dir ${dir} does not exist`);
  return dir;
}

/**
 * doctor's --config-dir (or --functions-dir): the directory holding the env files, the
 * repository's functions/ unless given (a kit instance's config directory otherwise).
 */
export function configDirOption(value: string | undefined): string {
  const dir = value === undefined ? DEFAULT_FUNCTIONS_DIR : resolveUserPath(value);
  if (!existsSync(dir)) throw new UsageError(`--config-dir ${dir} does not exist`);
  return dir;
}

/** --project-dir: the Firebase project directory (its .firebaserc), this repository unless given. */
export function projectDirOption(value: string | undefined): string {
  const dir = value === undefined ? ROOT : resolveUserPath(value);
  if (!existsSync(dir)) throw new UsageError(`--project-dir ${dir} does not exist`);
  return dir;
}

/** The per-project params file firebase-tools reads at deploy: functions/.env.<projectId>. */
export function projectEnvFile(functionsDir: string, project: string): string {
  return path.join(functionsDir, `.env.${project}`);
}

/** A path as the user should read it: relative to the repository when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(ROOT, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}
