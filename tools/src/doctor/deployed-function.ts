import { callableUrl, deleteCommand, deployCommand } from "../shared/deployment.js";
import type { Installation } from "../shared/firebase-project.js";
import type { Checklist } from "./checklist.js";
import { DANGEROUS_KEYS } from "./env-keys.js";
import type { GoogleApis } from "./google-apis.js";
import { describe, isServiceDisabled } from "./google-error.js";

/** The label firebase-tools puts on every function of a codebase other than `default`. */
export const CODEBASE_LABEL = "firebase-functions-codebase";

/**
 * The callable as Cloud Functions has it: deployed in the region the params name, from the
 * installation's codebase (fleet-engine-tokens, or the kit instance's), running as the runtime account the rest of the checks are about, and with
 * none of the settings doctor refuses in the params files (env-keys.ts) in its environment. Copies in other regions are named, since clients
 * that still call them get tokens from code nobody deploys any more.
 */
export async function checkDeployedFunction(
  checklist: Checklist,
  apis: GoogleApis,
  input: {
    readonly installation: Installation;
    readonly project: string;
    readonly region: string;
    readonly runtime: string;
  },
): Promise<void> {
  const { installation, project, region, runtime } = input;
  const name = installation.functionId;
  const deploy = deployCommand(installation, project);
  const title = `${name} deployed in ${region}`;
  const listed = await apis.functions(project);
  if (!listed.ok) {
    if (isServiceDisabled(listed.error)) {
      checklist.add({
        status: "warn",
        title,
        detail: "the Cloud Functions API is not enabled: nothing is deployed yet",
        advice: [`deploy it: ${deploy}`],
      });
    } else {
      checklist.add({
        status: "skip",
        title,
        detail: `cannot list the project's functions (${describe(listed.error)})`,
        advice: ["roles/cloudfunctions.viewer (or Owner) lets doctor check the deployment"],
      });
    }
    return;
  }
  const copies = listed.value.filter((fn) => fn.name.endsWith(`/functions/${name}`));
  const here = copies.find((fn) => fn.region === region);
  const elsewhere = copies.filter((fn) => fn.region !== region).map((fn) => fn.region);
  if (elsewhere.length > 0) {
    checklist.add({
      status: "warn",
      title: `${name} in other regions`,
      detail:
        `also deployed in ${elsewhere.join(", ")}, not the ${installation.regionParam} ${region} of the params: ` +
        "clients that call there get tokens from that copy",
      advice: [
        `point every client at ${region} (getFunctions(app, "${region}")), then delete the old copies:`,
        ...elsewhere.map((other) => deleteCommand(installation, other, project)),
      ],
    });
  }
  if (here === undefined) {
    checklist.add({
      status: "warn",
      title,
      detail: `not deployed in ${region} yet (the params' ${installation.regionParam})`,
      advice: [`deploy it: ${deploy}`],
    });
    return;
  }
  const problems: string[] = [];
  const codebase = here.labels[CODEBASE_LABEL] ?? "default";
  if (codebase !== installation.codebase) {
    problems.push(
      `it was deployed from the codebase ${codebase}, not ${installation.codebase}: a deploy of either ` +
        "codebase may plan the other's deletion",
    );
  }
  if (here.serviceAccountEmail !== undefined && here.serviceAccountEmail !== runtime) {
    problems.push(
      `it runs as ${here.serviceAccountEmail}, not the runtime account ${runtime} of the params ` +
        "checked here (deploy again to apply RUNTIME_SERVICE_ACCOUNT)",
    );
  }
  const dangerous = Object.keys(DANGEROUS_KEYS).filter((key) =>
    Object.hasOwn(here.environmentVariables, key),
  );
  if (dangerous.length > 0) {
    problems.push(
      `its environment sets ${dangerous.join(", ")}: ${dangerous
        .map((key) => `${key} ${DANGEROUS_KEYS[key]}`)
        .join("; ")} (remove them from the params files, then deploy again)`,
    );
  }
  checklist.add(
    problems.length > 0
      ? { status: "fail", title, detail: problems.join("; "), advice: [`deploy again: ${deploy}`] }
      : {
          status: "pass",
          title,
          detail: `codebase ${installation.codebase}, running as ${runtime}: ${callableUrl(installation, region, project)}`,
        },
  );
}
