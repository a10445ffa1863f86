import { writeFileSync } from "node:fs";
import path from "node:path";
import { TOKEN_TYPES, TOKEN_TYPE_SPECS } from "../../src/shared/functions-code.js";
import { accountPolicy, addBinding, newProject, type FakeProject } from "./fake-project.mjs";
import { tempFunctionsDir } from "./functions-dir.js";

/**
 * A project set up for production by hand, independently of setup:iam: a runtime account that
 * reads Firestore, one signing account per type with its Fleet Engine role, Token Creator for the
 * runtime account on each, and an operator (the ADC identity of the tests) who owns the project
 * and may impersonate the runtime account; every token type is enabled. Fleet Engine has one
 * resource of each kind.
 */
export const RESOURCE_IDS = {
  vehicle: "vehicle-1",
  trip: "trip-1",
  deliveryVehicle: "delivery-vehicle-1",
  tracking: "tracking-1",
};

export function productionProject(projectId: string) {
  const sa = (id: string): string => `${id}@${projectId}.iam.gserviceaccount.com`;
  const operator = sa("doctor-operator");
  const runtime = sa("fe-token-service");
  const project: FakeProject = newProject({ projectId, owner: `serviceAccount:${operator}` });
  project.enabledServices.push(
    "iamcredentials.googleapis.com",
    "fleetengine.googleapis.com",
    "iam.googleapis.com",
    "cloudfunctions.googleapis.com",
  );
  project.serviceAccounts.push(
    { email: operator, displayName: "operator" },
    { email: runtime, displayName: "runtime" },
  );
  addBinding(project.projectPolicy, "roles/datastore.viewer", `serviceAccount:${runtime}`);
  addBinding(project.projectPolicy, "roles/firebaseauth.viewer", `serviceAccount:${runtime}`);
  addBinding(
    accountPolicy(project, runtime),
    "roles/iam.serviceAccountTokenCreator",
    `serviceAccount:${operator}`,
  );
  const signers = Object.fromEntries(
    TOKEN_TYPES.map((type) => [type, sa(`fe-${type.toLowerCase()}`.slice(0, 30))]),
  );
  for (const type of TOKEN_TYPES) {
    const email = signers[type];
    project.serviceAccounts.push({ email, displayName: type });
    addBinding(
      project.projectPolicy,
      TOKEN_TYPE_SPECS[type].fleetEngineRole,
      `serviceAccount:${email}`,
    );
    addBinding(
      accountPolicy(project, email),
      "roles/iam.serviceAccountTokenCreator",
      `serviceAccount:${runtime}`,
    );
  }
  project.functions = [deployedCallable(runtime)];
  project.fleetEngine = {
    vehicles: [RESOURCE_IDS.vehicle],
    trips: [RESOURCE_IDS.trip],
    deliveryVehicles: [RESOURCE_IDS.deliveryVehicle],
    taskTrackingInfo: [RESOURCE_IDS.tracking],
  };
  const envText = [
    // Every type, the opt-in trustedDeliveryDriver included: doctor checks them all.
    `ENABLED_TOKEN_TYPES=${TOKEN_TYPES.join(",")}`,
    `RUNTIME_SERVICE_ACCOUNT=${runtime}`,
    ...TOKEN_TYPES.map((type) => `${TOKEN_TYPE_SPECS[type].signerParam}=${signers[type]}`),
    "",
  ].join("\n");
  const functionsDir = tempFunctionsDir();
  writeFileSync(path.join(functionsDir, `.env.${projectId}`), envText);
  return { project, operator, runtime, signers, functionsDir };
}

/** All four resource flags, naming the resources productionProject creates. */
export const ALL_RESOURCE_FLAGS = [
  "--vehicle",
  RESOURCE_IDS.vehicle,
  "--trip",
  RESOURCE_IDS.trip,
  "--delivery-vehicle",
  RESOURCE_IDS.deliveryVehicle,
  "--tracking",
  RESOURCE_IDS.tracking,
];

/** The callable as `firebase deploy --only functions:fleet-engine-tokens` leaves it. */
export function deployedCallable(runtime: string, region = "us-central1") {
  return {
    name: "getFleetEngineToken",
    region,
    codebase: "fleet-engine-tokens",
    serviceAccountEmail: runtime,
  };
}
