import { EXIT_USAGE, UsageError } from "./usage-error.js";

/** Where a command runs and writes: the terminal, or a test. */
export interface CommandIo {
  /** Where the reader typed the command. */
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** The terminal, for the commands' entry points. */
export function terminal(cwd: string): CommandIo {
  return {
    cwd,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
}

/**
 * Runs a command to its exit code: a UsageError (or a bad option) prints the message and the
 * usage, exit 2; any other error its message, exit 1.
 */
export async function runCommand(
  name: string,
  usage: string,
  io: CommandIo,
  command: () => Promise<number> | number,
): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      io.err(`${name}: ${(error as Error).message}\n\n${usage}`);
      return EXIT_USAGE;
    }
    io.err(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** Sets the process's exit code from a command's; a crash of the runner itself is exit 1. */
export function exitWith(code: Promise<number>): void {
  code.then(
    (value) => {
      process.exitCode = value;
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
