import { parseArgs } from "node:util";
import { GoogleAuth } from "google-auth-library";
import { fleetEngineIdProblem } from "../shared/functions-code.js";
import { functionsDirOption } from "../shared/paths.js";
import { requireProjectId } from "../shared/project.js";
import { EXIT_USAGE, UsageError } from "../shared/usage-error.js";
import { renderChecklist } from "./checklist.js";
import { ENDPOINT_ENV, endpointsFromEnv } from "./endpoints.js";
import type { ResourceKind } from "./fleet-engine.js";
import { runDoctor } from "./run.js";
import { CLOUD_PLATFORM_SCOPE } from "./signing-identity.js";

const USAGE = `Usage: npm run doctor -- --project PROJECT_ID [--vehicle V] [--trip T]
                      [--delivery-vehicle D] [--tracking K] [options]

A preflight of a production setup, run from your machine with Application Default Credentials:
checks the params (functions/.env + functions/.env.PROJECT_ID, as firebase deploy reads them),
the deployed callable (in REGION, from the fleet-engine-tokens codebase), the runtime account
and the signing account of each token type that ENABLED_TOKEN_TYPES enables and their roles,
signs one real token per enabled type through IAM signJwt (as the runtime account, like the
function) and checks its claims and lifetime. With resource IDs it calls Fleet Engine with those tokens and explains any refusal.
Prints a checklist; exits 1 when a check fails. Never prints a token.

Options:
  --project ID             Google Cloud project ID (required)
  --vehicle V              GET vehicles/V with a driver token and a fleetReader token
  --trip T                 GET trips/T with a consumer token and a fleetReader token
  --delivery-vehicle D     GET deliveryVehicles/D with deliveryDriver and deliveryFleetReader tokens
  --tracking K             GET taskTrackingInfo/K with deliveryConsumer and deliveryFleetReader tokens
  --no-impersonate         sign with your own credentials instead of as the runtime account
  --allow-shared-signer    for a first try: report token types with different Fleet Engine roles
                           signed by one account (e.g. empty *_SIGNER_ACCOUNT params, all signed
                           by the runtime account) as a warning instead of a failure
  --functions-dir DIR      the functions codebase holding the .env files (default: functions/)
  --help                   show this help

Test seams (tests only; https, or http on 127.0.0.1): ${Object.values(ENDPOINT_ENV).join(", ")}
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
  const endpoints = endpointsFromEnv();
  process.stdout.write(`Fleet Engine doctor for project ${project}\n`);
  const checklist = await runDoctor(
    {
      project,
      functionsDir,
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
