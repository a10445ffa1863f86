import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";
import { REGION_PARAM_NAMES, type InstallKind } from "./functions-code.js";
import { UsageError } from "./usage-error.js";

/**
 * Which copy of the function a command is about, found the way the Firebase CLI finds it: from
 * the project's firebase.json. Either the cloned codebase of this repository (fleet-engine-tokens,
 * params in functions/) or an instance of the function kit installed with
 * `firebase functions:kits:install` (params in function-kits/<kit>/config-<instance>/).
 */

/** The npm package of the kit; `functions:kits:install --package` records it in firebase.json. */
export const KIT_PACKAGE = "fleet-engine-firebase-tokens";
/** The codebase of a clone of this repository (firebase.json). */
export const CLONE_CODEBASE = "fleet-engine-tokens";
/** The callable's export; a kit instance serves it as kit-<instance>-getFleetEngineToken. */
export const CALLABLE_EXPORT = "getFleetEngineToken";

export interface Installation {
  readonly kind: InstallKind;
  /** The folder of firebase.json and .firebaserc. */
  readonly projectDir: string;
  /** The codebase the CLI deploys it as: fleet-engine-tokens, or the kit instance ID. */
  readonly codebase: string;
  /** The kit instance ID (kits only). */
  readonly instance?: string;
  /** The folder whose .env files hold its params. */
  readonly configDir: string;
  /** The deployed function's ID (its name in Cloud Functions). */
  readonly functionId: string;
  /** The param that holds its region. */
  readonly regionParam: string;
}

interface FunctionsEntry {
  readonly codebase?: unknown;
  readonly source?: unknown;
  readonly configDir?: unknown;
  readonly kit?: unknown;
  readonly sourcePackage?: { readonly name?: unknown };
  readonly instances?: unknown;
}

/** The nearest folder at or above `from` that holds firebase.json, if any. */
function nearestProjectDir(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "firebase.json"))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The nearest folder at or above `from` that holds firebase.json. */
export function findProjectDir(from: string): string {
  const found = nearestProjectDir(from);
  if (found === undefined) {
    throw new UsageError(
      `no firebase.json in ${from} or above: run this in your Firebase project folder, or ` +
        "pass --project-dir",
    );
  }
  return found;
}

/** Reads a JSON file the way the Firebase CLI does (comments allowed). */
export function readJsonWithComments(file: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(readFileSync(file, "utf8"), errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0];
    throw new UsageError(
      `${file} is not valid JSON: ${printParseErrorCode(first?.error ?? 0)} at offset ${first?.offset ?? 0}`,
    );
  }
  return value;
}

function functionsEntries(projectDir: string): FunctionsEntry[] {
  const config = readJsonWithComments(path.join(projectDir, "firebase.json")) as {
    functions?: unknown;
  } | null;
  const functions = config?.functions;
  if (functions === undefined || functions === null) return [];
  const entries = Array.isArray(functions) ? functions : [functions];
  return entries.filter(
    (entry): entry is FunctionsEntry => typeof entry === "object" && entry !== null,
  );
}

function instancesOf(entry: FunctionsEntry): Record<string, string> {
  const instances = entry.instances;
  if (typeof instances !== "object" || instances === null) return {};
  return Object.fromEntries(
    Object.entries(instances).filter(
      (pair): pair is [string, string] => typeof pair[1] === "string",
    ),
  );
}

function kitInstallation(projectDir: string, instance: string, configDir: string): Installation {
  return {
    kind: "kit",
    projectDir,
    codebase: instance,
    instance,
    configDir: path.resolve(projectDir, configDir),
    functionId: `kit-${instance}-${CALLABLE_EXPORT}`,
    regionParam: REGION_PARAM_NAMES.kit,
  };
}

function cloneInstallation(projectDir: string, configDir: string): Installation {
  return {
    kind: "codebase",
    projectDir,
    codebase: CLONE_CODEBASE,
    configDir: path.resolve(projectDir, configDir),
    functionId: CALLABLE_EXPORT,
    regionParam: REGION_PARAM_NAMES.codebase,
  };
}

/** Every copy of the function firebase.json names: the clone's codebase, each kit instance. */
export function listInstallations(projectDir: string): Installation[] {
  const targets: Installation[] = [];
  for (const entry of functionsEntries(projectDir)) {
    if (entry.kit !== undefined) {
      if (entry.sourcePackage?.name !== KIT_PACKAGE) continue;
      for (const [instance, dir] of Object.entries(instancesOf(entry))) {
        targets.push(kitInstallation(projectDir, instance, dir));
      }
    } else if (entry.codebase === CLONE_CODEBASE && typeof entry.source === "string") {
      const dir = typeof entry.configDir === "string" ? entry.configDir : entry.source;
      targets.push(cloneInstallation(projectDir, dir));
    }
  }
  return targets;
}

export interface InstallationOptions {
  /** Where the command was started; firebase.json is looked for from here upwards. */
  readonly cwd: string;
  /** --project-dir: the Firebase project folder. */
  readonly projectDir?: string | undefined;
  /** --instance: a kit instance ID. */
  readonly instance?: string | undefined;
  /** --functions-dir: a clone's functions folder, for a layout firebase.json does not name. */
  readonly functionsDir?: string | undefined;
}

/**
 * The copy of the function a command is about: the kit instance named by --instance, the clone's
 * functions folder named by --functions-dir, or the only copy firebase.json names.
 */
export function resolveInstallation(options: InstallationOptions): Installation {
  if (options.instance !== undefined && options.functionsDir !== undefined) {
    throw new UsageError("give --instance (a kit instance) or --functions-dir (a clone), not both");
  }
  let projectDir: string;
  if (options.projectDir !== undefined) {
    projectDir = path.resolve(options.cwd, options.projectDir);
    if (!existsSync(projectDir)) throw new UsageError(`--project-dir ${projectDir} does not exist`);
  } else if (options.functionsDir !== undefined) {
    // A layout firebase.json may not describe: its project is the nearest one above, if any.
    const dir = path.resolve(options.cwd, options.functionsDir);
    projectDir = nearestProjectDir(dir) ?? nearestProjectDir(options.cwd) ?? path.dirname(dir);
  } else {
    projectDir = findProjectDir(options.cwd);
  }
  if (options.functionsDir !== undefined) {
    const dir = path.resolve(options.cwd, options.functionsDir);
    if (!existsSync(dir)) throw new UsageError(`--functions-dir ${dir} does not exist`);
    return cloneInstallation(projectDir, dir);
  }
  if (!existsSync(path.join(projectDir, "firebase.json"))) {
    throw new UsageError(`${projectDir} has no firebase.json: pass --project-dir`);
  }
  if (options.instance !== undefined) {
    for (const entry of functionsEntries(projectDir)) {
      const dir = instancesOf(entry)[options.instance];
      if (entry.kit !== undefined && dir !== undefined) {
        return kitInstallation(projectDir, options.instance, dir);
      }
    }
    const known = listInstallations(projectDir).filter((target) => target.kind === "kit");
    throw new UsageError(
      `no kit instance ${options.instance} in ${path.join(projectDir, "firebase.json")}` +
        (known.length > 0
          ? `; instances of ${KIT_PACKAGE}: ${known.map((target) => target.instance).join(", ")}`
          : `; install the kit first: firebase functions:kits:install --package ${KIT_PACKAGE}`),
    );
  }
  const targets = listInstallations(projectDir);
  const only = targets[0];
  if (targets.length === 1 && only !== undefined) return only;
  if (targets.length === 0) {
    throw new UsageError(
      `${path.join(projectDir, "firebase.json")} names no instance of ${KIT_PACKAGE} and no ` +
        `${CLONE_CODEBASE} codebase: install the kit (firebase functions:kits:install --package ` +
        `${KIT_PACKAGE}), or pass --instance or --functions-dir`,
    );
  }
  throw new UsageError(
    `firebase.json names several copies of the function; pick one with --instance ` +
      targets
        .map((target) =>
          target.instance === undefined ? `(or the clone: --functions-dir)` : target.instance,
        )
        .join(", "),
  );
}

/** The options every command takes to say which installation it is about. */
export const INSTALLATION_OPTIONS = {
  instance: { type: "string" },
  "functions-dir": { type: "string" },
  "config-dir": { type: "string" },
  "project-dir": { type: "string" },
} as const;

export const INSTALLATION_USAGE = `  --instance ID            the kit instance (firebase.json's functions:kits:install entry); the
                           default is the only copy of the function firebase.json names
  --functions-dir DIR      a cloned codebase's folder of .env files, for a layout firebase.json
                           does not name (--config-dir DIR is the same option)
  --project-dir DIR        the Firebase project folder, with firebase.json and .firebaserc
                           (default: the nearest one at or above the current folder)`;

/** The installation the parsed INSTALLATION_OPTIONS name, from where the reader typed. */
export function installationFromOptions(
  values: {
    readonly instance?: string | undefined;
    readonly "functions-dir"?: string | undefined;
    readonly "config-dir"?: string | undefined;
    readonly "project-dir"?: string | undefined;
  },
  cwd: string,
): Installation {
  if (values["config-dir"] !== undefined && values["functions-dir"] !== undefined) {
    throw new UsageError("give --config-dir or --functions-dir, not both (they are one option)");
  }
  return resolveInstallation({
    cwd,
    projectDir: values["project-dir"],
    instance: values.instance,
    functionsDir: values["config-dir"] ?? values["functions-dir"],
  });
}
