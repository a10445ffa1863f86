import { exitWith, runCommand, terminal } from "../shared/command-io.js";
import { userCwd } from "../shared/paths.js";
import { DOCTOR_USAGE, doctorCommand } from "./command.js";

// `npm run doctor` in a clone of the repository (the package's bin runs ../cli.ts instead).
const io = terminal(userCwd());
exitWith(
  runCommand("doctor", DOCTOR_USAGE, io, () =>
    doctorCommand(process.argv.slice(2), io, "repository"),
  ),
);
