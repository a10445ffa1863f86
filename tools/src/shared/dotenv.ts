import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The Firebase CLI's params files, read exactly as it reads them (firebase-tools
 * lib/functions/env.js: its line grammar, quotes and escapes, reserved keys, and which files of a
 * config folder a deploy or the emulator loads, in which order). A port, because the tools ship
 * in the npm package and run in a user's project, where firebase-tools is a command, not a
 * library; tools/test/dotenv.test.ts keeps it equal to firebase-tools 14 and 15 on a corpus of
 * files, quirks included.
 */

const LINE = new RegExp(
  "^" +
    "\\s*" +
    "(?:export)?" +
    "\\s*" +
    "([\\w./]+)" +
    "\\s*=[\\f\\t\\v]*" +
    "(" +
    "\\s*'(?:\\\\'|[^'])*'|" +
    '\\s*"(?:\\\\"|[^"])*"|' +
    "[^#\\r\\n]*" +
    ")?" +
    "\\s*" +
    "(?:#[^\\n]*)?" +
    "$",
  "gms",
);

const ESCAPES: Readonly<Record<string, string>> = {
  "\\n": "\n",
  "\\r": "\r",
  "\\t": "\t",
  "\\v": "\v",
  "\\\\": "\\",
  "\\'": "'",
  '\\"': '"',
};

/** Keys the platform sets, which no params file may. */
const RESERVED_KEYS: readonly string[] = [
  "FIREBASE_CONFIG",
  "CLOUD_RUNTIME_CONFIG",
  "EVENTARC_CLOUD_EVENT_SOURCE",
  "ENTRY_POINT",
  "GCP_PROJECT",
  "GCLOUD_PROJECT",
  "GOOGLE_CLOUD_PROJECT",
  "FUNCTION_TRIGGER_TYPE",
  "FUNCTION_NAME",
  "FUNCTION_MEMORY_MB",
  "FUNCTION_TIMEOUT_SEC",
  "FUNCTION_IDENTITY",
  "FUNCTION_REGION",
  "FUNCTION_TARGET",
  "FUNCTION_SIGNATURE_TYPE",
  "K_SERVICE",
  "K_REVISION",
  "PORT",
  "K_CONFIGURATION",
];
const RESERVED_PREFIXES: readonly string[] = ["X_GOOGLE_", "FIREBASE_", "EXT_", "KIT_"];
const ALLOWED_PREFIXES: readonly string[] = [
  "FIREBASE_SECRET_REF_",
  "EXT_MIGRATED_SYSTEM_",
  "EXT_SELECTED_EVENTS",
];

export class ParamsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParamsFileError";
  }
}

export interface ParsedEnv {
  readonly envs: Record<string, string>;
  /** Lines that are neither an assignment, a comment nor blank. */
  readonly errors: string[];
}

/** Parses dotenv text the way firebase-tools does, lenient: bad lines are reported, not thrown. */
export function parseDotenv(text: string): ParsedEnv {
  const envs: Record<string, string> = {};
  const errors: string[] = [];
  // firebase-tools replaces the first line break only (no g flag): kept, for equal results.
  const data = text.replace(/\r\n?/, "\n");
  for (const match of data.matchAll(LINE)) {
    const key = match[1] ?? "";
    let value = (match[2] ?? "").trim();
    const quoted = /^(["'])(.*)\1$/ms.exec(value);
    if (quoted !== null) {
      value = quoted[2] ?? "";
      if (quoted[1] === '"') value = value.replace(/\\[nrtv\\'"]/g, (seq) => ESCAPES[seq] ?? seq);
    }
    envs[key] = value;
  }
  for (const rest of data.replace(LINE, "").split(/[\r\n]+/)) {
    const line = rest.trim();
    if (line.length > 0 && !line.startsWith("#")) errors.push(line);
  }
  return { envs, errors };
}

/** Why firebase-tools refuses `key` in a params file, or undefined when it takes it. */
export function keyProblem(key: string): string | undefined {
  if (RESERVED_KEYS.includes(key)) return `Key ${key} is reserved for internal use.`;
  if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) {
    return (
      `Key ${key} must start with an uppercase ASCII letter or underscore, and then consist of ` +
      "uppercase ASCII letters, digits, and underscores."
    );
  }
  if (!RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix))) return undefined;
  for (const allowed of ALLOWED_PREFIXES) {
    if (!key.startsWith(allowed)) continue;
    if (allowed.endsWith("_") && key === allowed) {
      return `Key ${key} is a known prefix that requires a suffix`;
    }
    if (!allowed.endsWith("_") && key !== allowed) {
      return `Key ${key} conflicts with known key ${allowed} that does not permit a suffix`;
    }
    return undefined;
  }
  return `Key ${key} starts with a reserved prefix (${RESERVED_PREFIXES.join(" ")})`;
}

/** Parses a params file as a deploy does: any bad line or key is an error. */
export function parseDotenvStrict(text: string, file: string): Record<string, string> {
  const { envs, errors } = parseDotenv(text);
  if (errors.length > 0) {
    throw new ParamsFileError(`${file}: invalid dotenv file, error on lines: ${errors.join(",")}`);
  }
  const problems = Object.keys(envs)
    .map(keyProblem)
    .filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new ParamsFileError(`${file}: ${problems.join(" ")}`);
  return envs;
}

export interface EnvFilesOptions {
  /** The folder of the params files: functions/, or a kit instance's config folder. */
  readonly configDir: string;
  readonly projectId: string;
  /** The .firebaserc alias the command was given, if it was given one. */
  readonly projectAlias?: string | undefined;
  /** The emulator also reads .env.local (last). */
  readonly emulator?: boolean;
}

/** The params files the CLI loads, existing ones only, in its order (later wins). */
export function envFileNames(options: EnvFilesOptions): string[] {
  const names = [".env", `.env.${options.projectId}`];
  if (options.projectAlias !== undefined) names.push(`.env.${options.projectAlias}`);
  if (options.emulator === true) names.push(".env.local");
  return names.filter((name) => existsSync(path.join(options.configDir, name)));
}

/** The params a deploy (or the emulator) gets from a config folder, merged as the CLI merges. */
export function loadParams(options: EnvFilesOptions): Record<string, string> {
  const names = envFileNames(options);
  if (
    options.projectAlias !== undefined &&
    names.includes(`.env.${options.projectId}`) &&
    names.includes(`.env.${options.projectAlias}`)
  ) {
    throw new ParamsFileError(
      `Can't have both dotenv files with projectId (env.${options.projectId}) and projectAlias ` +
        `(.env.${options.projectAlias}) as extensions.`,
    );
  }
  let params: Record<string, string> = {};
  for (const name of names) {
    const file = path.join(options.configDir, name);
    params = { ...params, ...parseDotenvStrict(readFileSync(file, "utf8"), file) };
  }
  return params;
}
