import { DEV_KEY_USAGE, createDevKey } from "./dev-key/main.js";
import { EXIT_USAGE, UsageError } from "./shared/usage-error.js";

/**
 * The command line of the npm package fleet-engine-firebase-tokens:
 *
 *   npx fleet-engine-firebase-tokens <command> [options]
 *
 * It runs from the user's Firebase project folder, without a clone of this repository. The
 * function never loads this file: the package's main is the function's bundle, and this is a
 * separate bundle (its bin).
 */

const USAGE = `Usage: npx fleet-engine-firebase-tokens <command> [options]

Commands:
  dev-key     create the Functions emulator's signing key and name it in .env.local

Run a command with --help for its options.
`;

interface Io {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

function devKey(argv: readonly string[], io: Io): number {
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
    { run: (argv: readonly string[], io: Io) => number | Promise<number>; usage: string }
  >
> = {
  "dev-key": { run: devKey, usage: DEV_KEY_USAGE },
};

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "help") {
    io.out(USAGE);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`fleet-engine-firebase-tokens: unknown command ${name}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      io.err(`${name}: ${(error as Error).message}\n\n${command.usage}`);
      return EXIT_USAGE;
    }
    io.err(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
