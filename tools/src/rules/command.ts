import path from "node:path";
import { parseArgs } from "node:util";
import { assignmentRuleLines, renderRules } from "../../../scripts/lib/rules.mjs";
import type { CommandIo } from "../shared/command-io.js";
import { loadDeployParams, requireDeployTarget } from "../shared/env-file.js";
import {
  INSTALLATION_OPTIONS,
  INSTALLATION_USAGE,
  installationFromOptions,
} from "../shared/firebase-project.js";
import { configFromParams } from "../shared/config-from-params.js";
import { FIELD_NAMES, TokenServiceError } from "../shared/functions-code.js";
import { displayPath } from "../shared/paths.js";
import { UsageError } from "../shared/usage-error.js";

export const RULES_USAGE = `Usage: npx fleet-engine-firebase-tokens rules --project PROJECT [--instance ID] [--blocks]

Prints Firestore security rules for the data model of the installation's params (as
firebase deploy --project PROJECT reads them): deny by default, the assignment collections
server-owned (no client writes them), a signed-in user may read their own driver document and the
documents whose consumers field lists them. The function does not need these rules (the Admin
SDK is not subject to rules); they keep clients from writing assignments.

Deploying a rules file replaces ALL of a project's rules. If your project has rules already, print
the blocks alone (--blocks) and merge them into your own rules file.

Options:
  --project PROJECT        the project ID, or an alias of .firebaserc (required)
  --blocks                 only the blocks to place inside match /databases/{database}/documents
${INSTALLATION_USAGE}
  --help                   show this help
`;

/** Prints the rules (or their blocks); exit 0. Throws UsageError for a bad call or params. */
export function rulesCommand(argv: readonly string[], io: CommandIo): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      project: { type: "string" },
      blocks: { type: "boolean", default: false },
      ...INSTALLATION_OPTIONS,
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.out(RULES_USAGE);
    return 0;
  }
  const installation = installationFromOptions(values, io.cwd);
  const target = requireDeployTarget(installation.projectDir, values.project);
  const params = loadDeployParams(installation.configDir, target);
  let config;
  try {
    // The function's own validation, on exactly these values.
    config = configFromParams(params, installation);
  } catch (error) {
    if (error instanceof TokenServiceError) throw new UsageError(error.message);
    throw error;
  }
  const model = {
    region: config.region,
    collections: config.collections,
    fields: Object.fromEntries(
      Object.entries(config.fields).map(([field, fieldPath]) => [field, fieldPath.join(".")]),
    ) as Record<(typeof FIELD_NAMES)[number], string>,
    enabledTypes: config.enabledTypes,
  };
  if (values.blocks) {
    io.out(`${assignmentRuleLines(model).join("\n")}\n`);
    return 0;
  }
  const source = path.join(
    displayPath(installation.configDir),
    target.alias === undefined ? `.env + .env.${target.projectId}` : `.env + .env.${target.alias}`,
  );
  io.out(renderRules(model, source, "npx fleet-engine-firebase-tokens rules"));
  return 0;
}
