import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The params files of the functions codebase. Reading goes through firebase-tools' own loader, so
 * doctor sees exactly the values (and the errors) that `firebase deploy` would; writing changes
 * only the keys it is given and keeps every other line of the file as it was.
 */

interface FirebaseToolsEnv {
  parse(data: string): { envs: Record<string, string>; errors: string[] };
  loadUserEnvs(options: {
    functionsSource: string;
    projectId: string;
    isEmulator?: boolean;
  }): Record<string, string>;
}

interface FirebaseErrorLike {
  message: string;
  children?: readonly { message?: string }[];
}

// firebase-tools has no typings and no exports map; this module is plain CommonJS.
const firebaseToolsEnv = createRequire(__filename)(
  "firebase-tools/lib/functions/env",
) as FirebaseToolsEnv;

export class ParamsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParamsFileError";
  }
}

/** The params a deploy to `project` would use: functions/.env, then .env.<project> over it. */
export function loadDeployParams(functionsDir: string, project: string): Record<string, string> {
  try {
    return firebaseToolsEnv.loadUserEnvs({ functionsSource: functionsDir, projectId: project });
  } catch (error) {
    const { message, children } = error as FirebaseErrorLike;
    const details = (children ?? []).map((child) => child.message ?? "").filter(Boolean);
    throw new ParamsFileError([message, ...details].join(" "));
  }
}

/** One params file of the codebase, and whether `firebase deploy` reads it for `project`. */
export interface ParamsFile {
  readonly name: string;
  readonly path: string;
  /** false for .env.local: only the emulator reads it, and firebase.json keeps it out of uploads. */
  readonly deployed: boolean;
  /** Its keys and values, parsed leniently (lines the CLI would refuse are left out). */
  readonly values: Readonly<Record<string, string>>;
}

/** The files that exist among .env, .env.<project> and .env.local, in the order the CLI reads them. */
export function readParamsFiles(functionsDir: string, project: string): ParamsFile[] {
  const files: ParamsFile[] = [];
  for (const [name, deployed] of [
    [".env", true],
    [`.env.${project}`, true],
    [".env.local", false],
  ] as const) {
    const file = path.join(functionsDir, name);
    if (!existsSync(file)) continue;
    const { envs } = firebaseToolsEnv.parse(readFileSync(file, "utf8"));
    files.push({ name, path: file, deployed, values: envs });
  }
  return files;
}

export { setEnvValues } from "./env-write.js";
