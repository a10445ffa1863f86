import { exitWith, runCommand, terminal } from "../shared/command-io.js";
import { userCwd } from "../shared/paths.js";
import { SETUP_IAM_USAGE, setupIamCommand } from "./command.js";

// `npm run setup:iam` in a clone of the repository (the package's bin runs ../cli.ts instead).
const io = terminal(userCwd());
exitWith(
  runCommand("setup:iam", SETUP_IAM_USAGE, io, () =>
    setupIamCommand(process.argv.slice(2), io, "repository"),
  ),
);
