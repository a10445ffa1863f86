import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadDeployParams, ParamsFileError, setEnvValues } from "../shared/env-file.js";
import { deployCommand } from "../shared/deployment.js";
import {
  DEFAULTS,
  checkRevokedTokens,
  consumeAppCheckToken,
  enabledTokenTypes,
  parseEnabledTokenTypes,
  TOKEN_TYPES,
  type TokenType,
} from "../shared/functions-code.js";
import { displayPath, functionsDirOption, projectEnvFile } from "../shared/paths.js";
import { requireOperator, requireProjectId } from "../shared/project.js";
import { EXIT_USAGE, UsageError } from "../shared/usage-error.js";
import {
  chooseAccounts,
  DEFAULT_RUNTIME_ACCOUNT_ID,
  parseAccountOverrides,
  parseTypes,
} from "./accounts.js";
import { applyPlan, SetupError } from "./apply.js";
import { GcloudError, systemGcloud } from "./gcloud.js";
import { planSetup } from "./plan.js";
import { renderPlan } from "./render.js";

const USAGE = `Usage: npm run setup:iam -- --project PROJECT_ID [--apply] [options]

Prepares a Google Cloud project for getFleetEngineToken: enables the IAM Credentials, Fleet Engine
and IAM APIs, creates one signing service account per token type with only that type's Fleet
Engine role, creates the function's runtime account, lets the runtime account sign as each
signing account (Token Creator on that account only, never on the project), and writes the
matching params to functions/.env.PROJECT_ID.

Without --apply it prints the gcloud commands and changes nothing. With --apply it reads the
project first and runs only what is missing: running it twice changes nothing.

Options:
  --project ID            Google Cloud project ID (required)
  --apply                 run the commands (needs gcloud, signed in as a project owner)
  --types LIST            token types to prepare, comma-separated, among those ENABLED_TOKEN_TYPES
                          enables (default: all of those; types: ${TOKEN_TYPES.join(",")})
  --account TYPE=NAME     signing account for TYPE: an account ID or NAME@PROJECT.iam.gserviceaccount.com
                          (default fe-<type>, e.g. fe-delivery-driver); repeatable
  --runtime-account NAME  the function's runtime account: an account ID (created if missing,
                          default ${DEFAULT_RUNTIME_ACCOUNT_ID}) or an existing account's email, e.g. the
                          Compute Engine default NUMBER-compute@developer.gserviceaccount.com
  --operator MEMBER       let MEMBER (user:you@example.com or serviceAccount:EMAIL; group:EMAIL
                          with a warning) impersonate the runtime account, so that npm run doctor
                          can sign exactly as the function does; repeatable
  --functions-dir DIR     the functions codebase holding the .env files (default: functions/)
  --help                  show this help
`;

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      project: { type: "string" },
      apply: { type: "boolean", default: false },
      types: { type: "string" },
      account: { type: "string", multiple: true, default: [] },
      "runtime-account": { type: "string" },
      operator: { type: "string", multiple: true, default: [] },
      "functions-dir": { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const project = requireProjectId(values.project);
  const functionsDir = functionsDirOption(values["functions-dir"]);
  const operators = values.operator.map((member) => requireOperator(member));
  const params = loadDeployParams(functionsDir, project);
  const accounts = chooseAccounts({
    project,
    types: parseTypes(values.types, enabledTypes(params)),
    overrides: parseAccountOverrides(values.account),
    ...(values["runtime-account"] === undefined ? {} : { runtime: values["runtime-account"] }),
  });
  for (const { warning } of operators) {
    if (warning !== undefined) process.stderr.write(`WARNING: ${warning}\n`);
  }
  const plan = planSetup({
    project,
    accounts,
    operators: operators.map((operator) => operator.member),
    consumeAppCheckToken: params[consumeAppCheckToken.name] === "true",
    checkRevokedTokens: params[checkRevokedTokens.name] !== "false",
  });
  const envFile = projectEnvFile(functionsDir, project);

  if (!values.apply) {
    process.stdout.write(renderPlan(plan, envFile));
    return 0;
  }

  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  log(`setup:iam --apply for project ${project}`);
  const result = await applyPlan({ gcloud: systemGcloud(), plan, accounts, log });

  const before = existsSync(envFile) ? readFileSync(envFile, "utf8") : "";
  const after = setEnvValues(
    before,
    plan.params,
    `Written by npm run setup:iam for project ${project}: the function's accounts.`,
  );
  if (after !== before) writeFileSync(envFile, after);
  log("");
  log(
    `${result.ran.length} command(s) run, ${result.alreadyDone} already done; ` +
      `${displayPath(envFile)} ${after === before ? "unchanged" : "updated"}.`,
  );
  for (const warning of result.warnings) process.stderr.write(`WARNING: ${warning}\n`);
  if (result.alarms.length > 0) process.stderr.write(loud(result.alarms));
  log(`Next: ${deployCommand(project)}, then npm run doctor -- --project ${project}`);
  return 0;
}

/** The types the deploy serves, as the function reads ENABLED_TOKEN_TYPES. */
function enabledTypes(params: Readonly<Record<string, string>>): readonly TokenType[] {
  const raw = params[enabledTokenTypes.name] ?? DEFAULTS.ENABLED_TOKEN_TYPES;
  const parsed = parseEnabledTokenTypes(raw.trim());
  if (typeof parsed === "string") {
    throw new SetupError(
      `param ${enabledTokenTypes.name}=${JSON.stringify(raw)} ${parsed}; fix it in ` +
        "functions/.env or functions/.env.PROJECT_ID first (npm run doctor names the file)",
    );
  }
  return parsed;
}

/** Owner or Editor on an account of the setup: framed so that it cannot scroll by unread. */
function loud(alarms: readonly string[]): string {
  const rule = "!".repeat(78);
  return `\n${rule}\n${alarms.map((alarm) => `WARNING: ${alarm}`).join("\n\n")}\n${rule}\n`;
}

function fail(error: unknown): number {
  if (
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
  ) {
    process.stderr.write(`setup:iam: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (error instanceof GcloudError) {
    process.stderr.write(
      `\nsetup:iam stopped. This command failed:\n  ${error.command}\n` +
        (error.stderr === "" ? "" : `gcloud said:\n  ${error.stderr.replace(/\n/g, "\n  ")}\n`) +
        "The commands before it were applied and the params file was not changed. Fix the cause " +
        "and run the same setup:iam command again: it skips what is already done.\n",
    );
    return 1;
  }
  if (error instanceof SetupError || error instanceof ParamsFileError) {
    process.stderr.write(`setup:iam: ${error.message}\n`);
    return 1;
  }
  throw error;
}

main(process.argv.slice(2))
  .catch(fail)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
