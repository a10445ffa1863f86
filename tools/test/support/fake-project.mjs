// @ts-check
/**
 * The state of one fake Google Cloud project, shared by the fake gcloud (setup:iam tests) and the
 * fake Google APIs (doctor tests): enabled services, service accounts, the project's IAM policy,
 * each service account's IAM policy, and the Fleet Engine resources that exist. Plain JSON, so the
 * fake gcloud can keep it in a file between its processes.
 */

/** @typedef {{ role: string, members: string[], condition?: { title: string, expression: string } }} Binding */
/**
 * A folder or organization above the project; `policy` undefined = not readable by anyone here.
 * @typedef {{ type: "folder" | "organization", id: string, policy?: Policy }} Ancestor
 */
/**
 * A deployed Cloud Functions (2nd gen) function, as firebase deploy leaves it.
 * @typedef {{
 *   name: string, region: string, codebase?: string, serviceAccountEmail: string,
 *   environmentVariables?: Record<string, string>
 * }} DeployedFunction
 */
/** @typedef {{ bindings: Binding[] }} Policy */
/** @typedef {{ email: string, displayName: string, disabled?: boolean }} ServiceAccount */
/**
 * @typedef {{
 *   projectId: string,
 *   projectNumber: string,
 *   enabledServices: string[],
 *   serviceAccounts: ServiceAccount[],
 *   projectPolicy: Policy,
 *   accountPolicies: Record<string, Policy>,
 *   fleetEngine: {
 *     vehicles: string[], trips: string[], deliveryVehicles: string[], taskTrackingInfo: string[]
 *   },
 *   ancestors?: Ancestor[],
 *   functions?: DeployedFunction[],
 * }} FakeProject
 */

/**
 * A project as Google creates it: the Compute Engine default account holds Editor, the person
 * who created it is Owner, and nothing for Fleet Engine exists yet.
 * @param {{ projectId: string, projectNumber?: string, owner?: string }} options
 * @returns {FakeProject}
 */
export function newProject({
  projectId,
  projectNumber = "123456789012",
  owner = "user:owner@example.com",
}) {
  const compute = `${projectNumber}-compute@developer.gserviceaccount.com`;
  return {
    projectId,
    projectNumber,
    enabledServices: ["compute.googleapis.com"],
    serviceAccounts: [{ email: compute, displayName: "Compute Engine default service account" }],
    projectPolicy: {
      bindings: [
        { role: "roles/editor", members: [`serviceAccount:${compute}`] },
        { role: "roles/owner", members: [owner] },
      ],
    },
    accountPolicies: {},
    fleetEngine: { vehicles: [], trips: [], deliveryVehicles: [], taskTrackingInfo: [] },
  };
}

/**
 * Adds `member` to `role` in `policy`; false when it was already there.
 * @param {Policy} policy @param {string} role @param {string} member
 */
export function addBinding(policy, role, member) {
  let binding = policy.bindings.find((candidate) => candidate.role === role);
  if (binding === undefined) {
    binding = { role, members: [] };
    policy.bindings.push(binding);
    policy.bindings.sort((a, b) => a.role.localeCompare(b.role));
  }
  if (binding.members.includes(member)) return false;
  binding.members.push(member);
  binding.members.sort();
  return true;
}

/** @param {Policy} policy @param {string} role @param {string} member */
export function removeBinding(policy, role, member) {
  const binding = policy.bindings.find((candidate) => candidate.role === role);
  if (binding !== undefined) binding.members = binding.members.filter((m) => m !== member);
}

/** @param {Policy} policy @param {string} member @returns {string[]} */
export function rolesOf(policy, member) {
  return policy.bindings.filter((b) => b.members.includes(member)).map((b) => b.role);
}

/** @param {FakeProject} project @param {string} email */
export function findAccount(project, email) {
  return project.serviceAccounts.find((account) => account.email === email);
}

/** @param {FakeProject} project @param {string} email @returns {Policy} */
export function accountPolicy(project, email) {
  return (project.accountPolicies[email] ??= { bindings: [] });
}
