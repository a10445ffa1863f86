import { parseArgs } from "node:util";
import { GoogleAuth } from "google-auth-library";
import { useInvocation, type ToolsInvocation } from "../shared/commands.js";
import { requireDeployTarget } from "../shared/env-file.js";
import {
  INSTALLATION_OPTIONS,
  INSTALLATION_USAGE,
  installationFromOptions,
} from "../shared/firebase-project.js";
import { fleetEngineIdProblem } from "../shared/functions-code.js";
import { UsageError } from "../shared/usage-error.js";
import type { CommandIo } from "../shared/command-io.js";
import { renderChecklist } from "./checklist.js";
import { ENDPOINT_ENV, endpointsFromEnv, renderOverrides } from "./endpoints.js";
import type { ResourceKind } from "./fleet-engine.js";
import { runDoctor } from "./run.js";
import { CLOUD_PLATFORM_SCOPE } from "./signing-identity.js";

export const DOCTOR_USAGE = `Usage: npx fleet-engine-firebase-tokens doctor --project PROJECT [--instance ID]
         [--vehicle V] [--trip T] [--delivery-vehicle D] [--tracking K] [options]
       (in a clone of the repository: npm run doctor -- --project PROJECT [options])

A preflight of a production setup, run from your machine with Application Default Credentials:
checks the params exactly as \`firebase deploy --project PROJECT\` reads them (.env, .env.<project
ID> and, when PROJECT is an alias of .firebaserc, .env.<alias>, in the kit instance's config
folder or the clone's functions/), every key of every file a deploy of the project may read, the
deployed callable (kit-<instance>-getFleetEngineToken from the instance's codebase, or
getFleetEngineToken from fleet-engine-tokens, in the params' region),
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
  --delivery-vehicle D     GET deliveryVehicles/D with deliveryDriver, trustedDeliveryDriver (when
                           enabled) and deliveryFleetReader tokens
  --tracking K             GET taskTrackingInfo/K with deliveryConsumer and deliveryFleetReader tokens
  --no-impersonate         sign with your own credentials instead of as the runtime account
  --allow-shared-signer    for a first try: report token types with different Fleet Engine roles
                           signed by one account (e.g. empty *_SIGNER_ACCOUNT params, all signed
                           by the runtime account) as a warning instead of a failure
${INSTALLATION_USAGE}
  --help                   show this help

Test seams (tests only; loopback URLs only, announced when set): ${Object.values(ENDPOINT_ENV).join(", ")}
`;

/** Runs doctor; the exit code (1 when a check failed). Throws UsageError for a bad call. */
export async function doctorCommand(
  argv: readonly string[],
  io: CommandIo,
  how: ToolsInvocation,
): Promise<number> {
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
      ...INSTALLATION_OPTIONS,
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.out(DOCTOR_USAGE);
    return 0;
  }
  const installation = installationFromOptions(values, io.cwd);
  useInvocation(how, installation);
  const target = requireDeployTarget(installation.projectDir, values.project);
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
  io.out(
    `Fleet Engine doctor for project ${project}` +
      (target.alias === undefined ? "" : ` (alias ${target.alias} in .firebaserc)`) +
      (installation.instance === undefined
        ? `, the ${installation.codebase} codebase\n`
        : `, kit instance ${installation.instance}\n`),
  );
  io.out(renderOverrides(overrides));
  const checklist = await runDoctor(
    {
      target,
      installation,
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
  io.out(renderChecklist(checklist));
  return checklist.failed ? 1 : 0;
}
