import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadParams, parseDotenv, ParamsFileError } from "./dotenv.js";
import { isProjectId, requireProjectId, requireProjectOption } from "./project.js";
import { UsageError } from "./usage-error.js";

export { ParamsFileError } from "./dotenv.js";

/**
 * The params files of a deployment: the directory holding them (the config directory: functions/
 * for this repository, a kit instance's config directory otherwise) and the Firebase project
 * directory whose `.firebaserc` names the project's aliases. Reading follows firebase-tools' own
 * loader (dotenv.ts, tested equal to it), so doctor sees exactly the files, values and errors that
 * `firebase deploy` would; writing changes only the keys it is given and keeps every other line of
 * the file as it was.
 */

/**
 * How `firebase deploy --project X` names the project: X is an alias when `.firebaserc` maps it
 * to a project ID (firebase-tools' applyRC, lib/command.js), else X is the project ID. The deploy
 * then reads `.env`, `.env.<project ID>` and, for an alias, `.env.<alias>` (lib/functions/env.js).
 */
export interface DeployTarget {
  readonly projectId: string;
  /** The alias the deploy is invoked with (`--project prod`), if it is one. */
  readonly alias: string | undefined;
  /** Every alias of `.firebaserc` that names this project: a deploy may be invoked with any. */
  readonly aliases: readonly string[];
}

/** The aliases of the Firebase project directory's `.firebaserc` (alias -> project ID). */
export function readAliases(projectDir: string): Readonly<Record<string, string>> {
  const file = path.join(projectDir, ".firebaserc");
  if (!existsSync(file)) return {};
  let projects: unknown;
  try {
    projects = (JSON.parse(readFileSync(file, "utf8")) as { projects?: unknown }).projects;
  } catch (error) {
    throw new ParamsFileError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof projects !== "object" || projects === null) return {};
  return Object.fromEntries(
    Object.entries(projects).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}

/** `--project` as firebase-tools resolves it against `projectDir`'s `.firebaserc`. */
export function resolveDeployTarget(projectDir: string, projectOrAlias: string): DeployTarget {
  const aliases = readAliases(projectDir);
  const aliased = Object.hasOwn(aliases, projectOrAlias) ? aliases[projectOrAlias] : undefined;
  const projectId = aliased ?? projectOrAlias;
  return {
    projectId,
    alias: aliased === undefined ? undefined : projectOrAlias,
    aliases: Object.keys(aliases).filter((alias) => aliases[alias] === projectId),
  };
}

/**
 * The `--project` option of a command, resolved as the deploy resolves it: a project ID, or an
 * alias of the project directory's `.firebaserc`. Throws UsageError for anything else.
 */
export function requireDeployTarget(projectDir: string, option: string | undefined): DeployTarget {
  const target = resolveDeployTarget(projectDir, requireProjectOption(option));
  if (target.alias === undefined && !isProjectId(target.projectId)) {
    throw new UsageError(
      `--project ${target.projectId} is neither a Google Cloud project ID (6 to 30 lower-case ` +
        `letters, digits and hyphens) nor an alias in ${projectDir}/.firebaserc`,
    );
  }
  requireProjectId(target.projectId);
  return target;
}

/** A project ID alone: a deploy invoked with the ID, no alias known. */
function targetOf(target: DeployTarget | string): DeployTarget {
  return typeof target === "string" ? { projectId: target, alias: undefined, aliases: [] } : target;
}

/**
 * The params a deploy to `target` would use, from the directory holding its env files
 * (`functions/`, or a kit instance's config directory): `.env`, then `.env.<project ID>` and
 * `.env.<alias>` over it, read as firebase-tools' own loader reads them, with its errors (a bad
 * line, a reserved key, both `.env.<project ID>` and `.env.<alias>`).
 */
export function loadDeployParams(
  configDir: string,
  target: DeployTarget | string,
): Record<string, string> {
  const { projectId, alias } = targetOf(target);
  return loadParams({ configDir, projectId, projectAlias: alias });
}

/**
 * Who reads a params file: `deploy`, the deploy doctor checks (the files loadDeployParams reads);
 * `alias`, a deploy of the same project invoked with another alias (`.env.<alias>` of an alias
 * naming this project); `emulator`, only the emulator (`.env.local`, which firebase.json also
 * keeps out of the upload).
 */
export type ParamsFileRole = "deploy" | "alias" | "emulator";

/** One params file of the config directory, and who reads it. */
export interface ParamsFile {
  readonly name: string;
  readonly path: string;
  readonly role: ParamsFileRole;
  /** Its keys and values, parsed leniently (lines the CLI would refuse are left out). */
  readonly values: Readonly<Record<string, string>>;
}

/**
 * The files that exist among those a deploy or the emulator could read for `target`, in the
 * order the CLI reads them: `.env`, `.env.<project ID>`, `.env.<alias>` for each alias of the
 * project, `.env.local`.
 */
export function readParamsFiles(configDir: string, target: DeployTarget | string): ParamsFile[] {
  const { projectId, alias, aliases } = targetOf(target);
  const names: [string, ParamsFileRole][] = [
    [".env", "deploy"],
    [`.env.${projectId}`, "deploy"],
    ...[...new Set([...(alias === undefined ? [] : [alias]), ...aliases])].map(
      (name): [string, ParamsFileRole] => [`.env.${name}`, name === alias ? "deploy" : "alias"],
    ),
    [".env.local", "emulator"],
  ];
  const files: ParamsFile[] = [];
  for (const [name, role] of names) {
    const file = path.join(configDir, name);
    if (!existsSync(file) || files.some((seen) => seen.name === name)) continue;
    const { envs } = parseDotenv(readFileSync(file, "utf8"));
    files.push({ name, path: file, role, values: envs });
  }
  return files;
}

export { setEnvValues } from "./env-write.js";
