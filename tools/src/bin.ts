import { runCli } from "./cli.js";
import { exitWith, terminal } from "./shared/command-io.js";

// The package's bin (lib/cli.js): nothing here runs unless a person runs the command.
exitWith(runCli(process.argv.slice(2), terminal(process.cwd())));
