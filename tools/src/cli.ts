import { runCommand, type CommandIo } from "./shared/command-io.js";
import { DEV_KEY_USAGE, createDevKey } from "./dev-key/main.js";
import { DOCTOR_USAGE, doctorCommand } from "./doctor/command.js";
import { RULES_USAGE, rulesCommand } from "./rules/command.js";
import { SETUP_IAM_USAGE, setupIamCommand } from "./setup-iam/command.js";
import { EXIT_USAGE } from "./shared/usage-error.js";

/**
 * The command line of the npm package fleet-engine-firebase-tokens:
 *
 *   npx fleet-engine-firebase-tokens <command> [options]
 *
 * It runs from the user's Firebase project folder, without a clone of this repository, on the
 * installation firebase.json names (a kit instance, or a clone's codebase). The function never
 * loads this file: the package's main is the function's bundle, and this is a separate bundle
 * (its bin).
 */

export const CLI_USAGE = `Usage: npx fleet-engine-firebase-tokens <command> [options]

Run in your Firebase project folder. Commands:
  setup-iam   print, or with --apply run, the gcloud commands that prepare a project: the
              runtime and signing service accounts, their roles, the APIs; writes their params
  doctor      check a project: params, the deployed function, accounts, roles, one real signJwt
              per token type, and Fleet Engine with resource IDs you give
  rules       print Firestore rules for the instance's data model (assignments server-owned)
  dev-key     create the Functions emulator's signing key and name it in the instance's .env.local

Each takes --instance ID (the kit instance; the default is the only one firebase.json names) and
--help for its options.
`;

function devKey(argv: readonly string[], io: CommandIo): number {
  if (argv.includes("--help")) {
    io.out(DEV_KEY_USAGE);
    return 0;
  }
  const { file, created, envFile, target } = createDevKey(argv, io.cwd);
  io.out(
    `${created ? "Created" : "Kept"} the dev key ${file}\n` +
      `Wrote FLEET_ENGINE_DEV_KEY_FILE to ${envFile}` +
      (target.instance === undefined ? "\n" : ` (kit instance ${target.instance})\n`),
  );
  return 0;
}

const COMMANDS: Readonly<
  Record<
    string,
    { run: (argv: readonly string[], io: CommandIo) => number | Promise<number>; usage: string }
  >
> = {
  "setup-iam": {
    run: (argv, io) => setupIamCommand(argv, io, "package"),
    usage: SETUP_IAM_USAGE,
  },
  doctor: { run: (argv, io) => doctorCommand(argv, io, "package"), usage: DOCTOR_USAGE },
  rules: { run: rulesCommand, usage: RULES_USAGE },
  "dev-key": { run: devKey, usage: DEV_KEY_USAGE },
};

export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "help") {
    io.out(CLI_USAGE);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`fleet-engine-firebase-tokens: unknown command ${name}\n\n${CLI_USAGE}`);
    return EXIT_USAGE;
  }
  return runCommand(name, command.usage, io, () => command.run(rest, io));
}
