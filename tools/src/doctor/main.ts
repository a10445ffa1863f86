import { parseArgs } from "node:util";
import { GoogleAuth } from "google-auth-library";
import { fleetEngineIdProblem } from "../shared/functions-code.js";
import { resolveDeployTarget } from "../shared/env-file.js";
import { configDirOption, projectDirOption } from "../shared/paths.js";
import { isProjectId, requireProjectId, requireProjectOption } from "../shared/project.js";
import { EXIT_USAGE, UsageError } from "../shared/usage-error.js";
import { renderChecklist } from "./checklist.js";
import { ENDPOINT_ENV, endpointsFromEnv, renderOverrides } from "./endpoints.js";
import type { ResourceKind } from "./fleet-engine.js";
import { runDoctor } from "./run.js";
import { CLOUD_PLATFORM_SCOPE } from "./signing-identity.js";

const USAGE = `Usage: npm run doctor -- --project PROJECT [--vehicle V] [--trip T]
                      [--delivery-vehicle D] [--tracking K] [options]

A preflight of a production setup, run from your machine with Application Default Credentials:
checks the params exactly as \`firebase deploy --project PROJECT\` reads them (.env, .env.<project
ID> and, when PROJECT is an alias of .firebaserc, .env.<alias>), every key of every file a deploy
of the project may read, the deployed callable (in REGION, from the fleet-engine-tokens codebase),
the runtime account and the signing account of each token type that ENABLED_TOKEN_TYPES enables
and their roles, signs one real token per enabled type through IAM signJwt (as the runtime
account, like the function) and checks its claims and lifetime. With resource IDs it calls Fleet
Engine with those tokens and explains any refusal.
Prints a checklist; exits 1 when a check fails. Never prints a token.

Options:
  --project PROJECT        the project ID, or an alias of .firebaserc, as you pass it to
                           firebase deploy (required)
  --vehicle V              GET vehicles/V with a driver token and a fleetReader token
  --trip T                 GET trips/T with a consumer token and a fleetReader token
  --delivery-vehicle D     GET deliveryVehicles/D with deliveryDriver and deliveryFleetReader tokens
  --tracking K             GET taskTrackingInfo/K with deliveryConsumer and deliveryFleetReader tokens
  --no-impersonate         sign with your own credentials instead of as the runtime account
  --allow-shared-signer    for a first try: report token types with different Fleet Engine roles
                           signed by one account (e.g. empty *_SIGNER_ACCOUNT params, all signed
                           by the runtime account) as a warning instead of a failure
  --config-dir DIR         the directory holding the .env files (default: functions/);
                           --functions-dir DIR is the same option
  --project-dir DIR        the Firebase project directory, whose .firebaserc names the aliases
                           (default: this repository)
  --help                   show this help

Test seams (tests only; loopback URLs only, announced when set): ${Object.values(ENDPOINT_ENV).join(", ")}
`;

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      project: { type: "string" },
      vehicle: { type: "string" },
      trip: { type: "string" },
      "delivery-vehicle": { type: "string" },
      tracking: { type: "string" },
      "no-impersonate": { type: "boolean", default: false },
      "allow-shared-signer": { type: "boolean", default: false },
      "functions-dir": { type: "string" },
      "config-dir": { type: "string" },
      "project-dir": { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values["config-dir"] !== undefined && values["functions-dir"] !== undefined) {
    throw new UsageError("give --config-dir or --functions-dir, not both (they are one option)");
  }
  const configDir = configDirOption(values["config-dir"] ?? values["functions-dir"]);
  const projectDir = projectDirOption(values["project-dir"]);
  const target = resolveDeployTarget(projectDir, requireProjectOption(values.project));
  if (target.alias === undefined && !isProjectId(target.projectId)) {
    throw new UsageError(
      `--project ${target.projectId} is neither a Google Cloud project ID (6 to 30 lower-case ` +
        `letters, digits and hyphens) nor an alias in ${projectDir}/.firebaserc`,
    );
  }
  requireProjectId(target.projectId);
  const resources: Partial<Record<ResourceKind, string>> = {};
  for (const [flag, kind] of [
    ["vehicle", "vehicle"],
    ["trip", "trip"],
    ["delivery-vehicle", "deliveryVehicle"],
    ["tracking", "tracking"],
  ] as const) {
    const id = values[flag];
    if (id === undefined) continue;
    const problem = fleetEngineIdProblem(id);
    if (problem !== undefined) {
      throw new UsageError(`--${flag}: give one Fleet Engine ID; this one ${problem}`);
    }
    resources[kind] = id;
  }
  const { endpoints, overrides } = endpointsFromEnv();
  const project = target.projectId;
  process.stdout.write(
    `Fleet Engine doctor for project ${project}` +
      (target.alias === undefined ? "" : ` (alias ${target.alias} in .firebaserc)`) +
      "\n",
  );
  process.stdout.write(renderOverrides(overrides));
  const checklist = await runDoctor(
    {
      target,
      configDir,
      resources,
      impersonate: !values["no-impersonate"],
      allowSharedSigner: values["allow-shared-signer"],
    },
    {
      adc: new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE], projectId: project }),
      endpoints,
      nowMillis: () => Date.now(),
    },
  );
  process.stdout.write(renderChecklist(checklist));
  return checklist.failed ? 1 : 0;
}

function fail(error: unknown): number {
  if (
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
  ) {
    process.stderr.write(`doctor: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  process.stderr.write(`doctor: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
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
