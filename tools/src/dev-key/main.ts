import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { setEnvValues } from "../shared/env-write.js";
import { resolveInstallation, type Installation } from "../shared/firebase-project.js";
import { DEV_KEY_FILE_ENV } from "../shared/functions-code.js";
import { UsageError } from "../shared/usage-error.js";
import { ensureDevKey, writeDevKey } from "./key-file.mjs";

export const DEV_KEY_USAGE = `Usage: npx fleet-engine-firebase-tokens dev-key [--instance ID] [options]

Creates the local signing key of the Functions emulator (a throwaway RSA key; Fleet Engine would
refuse its tokens) and names it in the instance's .env.local:
FLEET_ENGINE_DEV_KEY_FILE=<absolute path>. Only the emulator reads .env.local; a deployed function
never signs with a key file. Run it in your Firebase project folder. Keeps an existing key unless
--force.

Options:
  --instance ID        the kit instance (default: the only instance of the kit in firebase.json)
  --out FILE           where to write the key (default: .fleet-engine-dev/dev-key.json in the
                       project folder, a folder that ignores itself in git)
  --project-id ID      the project named in the key's account email (default: demo-fleet-engine)
  --project-dir DIR    the Firebase project folder (default: the nearest with firebase.json)
  --functions-dir DIR  a clone's functions folder, instead of a kit instance
  --force              replace an existing key
  --help               show this help
`;

/** The key's folder: ignored by git from inside, so that no key is ever committed by accident. */
const KEY_DIR = ".fleet-engine-dev";

export interface DevKeyResult {
  readonly file: string;
  readonly created: boolean;
  readonly envFile: string;
  readonly target: Installation;
}

/** Creates (or keeps) the key and writes its absolute path into the target's .env.local. */
export function createDevKey(argv: readonly string[], cwd: string): DevKeyResult {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      instance: { type: "string" },
      out: { type: "string" },
      "project-id": { type: "string", default: "demo-fleet-engine" },
      "project-dir": { type: "string" },
      "functions-dir": { type: "string" },
      force: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const target = resolveInstallation({
    cwd,
    projectDir: values["project-dir"],
    instance: values.instance,
    functionsDir: values["functions-dir"],
  });
  const projectId = values["project-id"];
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(projectId)) {
    throw new UsageError(`--project-id ${projectId} is not a Google Cloud project ID`);
  }
  let file: string;
  if (values.out === undefined) {
    const dir = path.join(target.projectDir, KEY_DIR);
    file = path.join(dir, "dev-key.json");
    if (!existsSync(path.join(dir, ".gitignore"))) {
      writeDevKeyDirIgnore(dir);
    }
  } else {
    file = path.resolve(cwd, values.out);
  }
  let created = true;
  if (values.force) writeDevKey(file, projectId);
  else ({ created } = ensureDevKey(file, projectId));

  const envFile = path.join(target.configDir, ".env.local");
  const text = existsSync(envFile) ? readFileSync(envFile, "utf8") : "";
  writeFileSync(
    envFile,
    setEnvValues(
      text,
      [[DEV_KEY_FILE_ENV, file]],
      "The Functions emulator's signing key (fleet-engine-firebase-tokens dev-key); the emulator\n" +
        "only: a deployed function never signs with a key file.",
    ),
  );
  return { file, created, envFile, target };
}

function writeDevKeyDirIgnore(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, ".gitignore"),
    "# Local signing keys of the Functions emulator (fleet-engine-firebase-tokens dev-key).\n*\n",
  );
}
