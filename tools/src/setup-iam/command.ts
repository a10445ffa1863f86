import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { CommandIo } from "../shared/command-io.js";
import { toolCommand, useInvocation, type ToolsInvocation } from "../shared/commands.js";
import { deployCommand } from "../shared/deployment.js";
import {
  loadDeployParams,
  ParamsFileError,
  requireDeployTarget,
  setEnvValues,
  type DeployTarget,
} from "../shared/env-file.js";
import {
  INSTALLATION_OPTIONS,
  INSTALLATION_USAGE,
  installationFromOptions,
} from "../shared/firebase-project.js";
import {
  DEFAULTS,
  checkRevokedTokens,
  consumeAppCheckToken,
  enabledTokenTypes,
  parseEnabledTokenTypes,
  TOKEN_TYPES,
  type TokenType,
} from "../shared/functions-code.js";
import { displayPath } from "../shared/paths.js";
import { requireOperator } from "../shared/project.js";
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

export const SETUP_IAM_USAGE = `Usage: npx fleet-engine-firebase-tokens setup-iam --project PROJECT [--instance ID]
         [--apply] [options]
       (in a clone of the repository: npm run setup:iam -- --project PROJECT [options])

Prepares a Google Cloud project for getFleetEngineToken: enables the IAM Credentials, Fleet Engine
and IAM APIs, creates one signing service account per token type with only that type's Fleet
Engine role, creates the function's runtime account, lets the runtime account sign as each
signing account (Token Creator on that account only, never on the project), and writes the
matching params to .env.PROJECT in the kit instance's config folder (the clone's functions/):
.env.<alias> when PROJECT is an alias of .firebaserc, as firebase deploy reads it.

Without --apply it prints the gcloud commands and changes nothing. With --apply it reads the
project first and runs only what is missing: running it twice changes nothing.

Options:
  --project PROJECT       the project ID, or an alias of .firebaserc (required)
  --apply                 run the commands (needs gcloud, signed in as a project owner)
  --types LIST            token types to prepare, comma-separated, among those ENABLED_TOKEN_TYPES
                          enables (default: all of those; types: ${TOKEN_TYPES.join(",")})
  --account TYPE=NAME     signing account for TYPE: an account ID or NAME@PROJECT.iam.gserviceaccount.com
                          (default fe-<type>, e.g. fe-delivery-driver); repeatable
  --runtime-account NAME  the function's runtime account: an account ID (created if missing,
                          default ${DEFAULT_RUNTIME_ACCOUNT_ID}) or an existing account's email, e.g. the
                          Compute Engine default NUMBER-compute@developer.gserviceaccount.com
  --operator MEMBER       let MEMBER (user:you@example.com or serviceAccount:EMAIL; group:EMAIL
                          with a warning) impersonate the runtime account, so that doctor can
                          sign exactly as the function does; repeatable
${INSTALLATION_USAGE}
  --help                  show this help
`;

/**
 * Runs setup-iam; the exit code. Throws UsageError for a bad call; a failed gcloud command or a
 * params file firebase deploy would refuse is reported here, exit 1.
 */
export async function setupIamCommand(
  argv: readonly string[],
  io: CommandIo,
  how: ToolsInvocation,
): Promise<number> {
  try {
    return await setupIam(argv, io, how);
  } catch (error) {
    if (error instanceof GcloudError) {
      io.err(
        `\nsetup-iam stopped. This command failed:\n  ${error.command}\n` +
          (error.stderr === "" ? "" : `gcloud said:\n  ${error.stderr.replace(/\n/g, "\n  ")}\n`) +
          "The commands before it were applied and the params file was not changed. Fix the " +
          "cause and run the same setup-iam command again: it skips what is already done.\n",
      );
      return 1;
    }
    if (error instanceof SetupError || error instanceof ParamsFileError) {
      io.err(`setup-iam: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function setupIam(
  argv: readonly string[],
  io: CommandIo,
  how: ToolsInvocation,
): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      project: { type: "string" },
      apply: { type: "boolean", default: false },
      types: { type: "string" },
      account: { type: "string", multiple: true, default: [] },
      "runtime-account": { type: "string" },
      operator: { type: "string", multiple: true, default: [] },
      ...INSTALLATION_OPTIONS,
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.out(SETUP_IAM_USAGE);
    return 0;
  }
  const installation = installationFromOptions(values, io.cwd);
  useInvocation(how, installation);
  const target = requireDeployTarget(installation.projectDir, values.project);
  const project = target.projectId;
  const operators = values.operator.map((member) => requireOperator(member));
  const params = loadDeployParams(installation.configDir, target);
  const accounts = chooseAccounts({
    project,
    types: parseTypes(values.types, enabledTypes(params)),
    overrides: parseAccountOverrides(values.account),
    ...(values["runtime-account"] === undefined ? {} : { runtime: values["runtime-account"] }),
  });
  for (const { warning } of operators) {
    if (warning !== undefined) io.err(`WARNING: ${warning}\n`);
  }
  const plan = planSetup({
    project,
    accounts,
    operators: operators.map((operator) => operator.member),
    consumeAppCheckToken: params[consumeAppCheckToken.name] === "true",
    checkRevokedTokens: params[checkRevokedTokens.name] !== "false",
  });
  const envFile = paramsFileOf(installation.configDir, target);

  if (!values.apply) {
    io.out(renderPlan(plan, envFile));
    return 0;
  }

  const log = (line: string): void => io.out(`${line}\n`);
  log(`setup-iam --apply for project ${project}`);
  const result = await applyPlan({ gcloud: systemGcloud(), plan, accounts, log });

  const before = existsSync(envFile) ? readFileSync(envFile, "utf8") : "";
  const after = setEnvValues(
    before,
    plan.params,
    `Written by setup-iam for project ${project}: the function's accounts.`,
  );
  if (after !== before) writeFileSync(envFile, after);
  log("");
  log(
    `${result.ran.length} command(s) run, ${result.alreadyDone} already done; ` +
      `${displayPath(envFile)} ${after === before ? "unchanged" : "updated"}.`,
  );
  for (const warning of result.warnings) io.err(`WARNING: ${warning}\n`);
  if (result.alarms.length > 0) io.err(loud(result.alarms));
  log(
    `Next: ${deployCommand(installation, target.alias ?? project)}, then ` +
      toolCommand("doctor", `--project ${target.alias ?? project}`),
  );
  return 0;
}

/**
 * The params file a deploy of `target` reads last: .env.<alias> when invoked with an alias,
 * else .env.<project ID>; whichever of the two already exists wins, since the deploy refuses
 * both at once.
 */
function paramsFileOf(configDir: string, target: DeployTarget): string {
  const byId = path.join(configDir, `.env.${target.projectId}`);
  if (target.alias === undefined) return byId;
  const byAlias = path.join(configDir, `.env.${target.alias}`);
  return existsSync(byId) && !existsSync(byAlias) ? byId : byAlias;
}

/** The types the deploy serves, as the function reads ENABLED_TOKEN_TYPES. */
function enabledTypes(params: Readonly<Record<string, string>>): readonly TokenType[] {
  const raw = params[enabledTokenTypes.name] ?? DEFAULTS.ENABLED_TOKEN_TYPES;
  const parsed = parseEnabledTokenTypes(raw.trim());
  if (typeof parsed === "string") {
    throw new SetupError(
      `param ${enabledTokenTypes.name}=${JSON.stringify(raw)} ${parsed}; fix it in the ` +
        "params files first (doctor names the file)",
    );
  }
  return parsed;
}

/** Owner or Editor on an account of the setup: framed so that it cannot scroll by unread. */
function loud(alarms: readonly string[]): string {
  const rule = "!".repeat(78);
  return `\n${rule}\n${alarms.map((alarm) => `WARNING: ${alarm}`).join("\n\n")}\n${rule}\n`;
}
