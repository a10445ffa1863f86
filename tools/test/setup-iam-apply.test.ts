import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chooseAccounts } from "../src/setup-iam/accounts.js";
import { applyPlan } from "../src/setup-iam/apply.js";
import { systemGcloud } from "../src/setup-iam/gcloud.js";
import { planSetup } from "../src/setup-iam/plan.js";
import { DEFAULT_ENABLED_TOKEN_TYPES, TOKEN_TYPE_SPECS } from "../src/shared/functions-code.js";
import { runNpmScript } from "./support/cli.js";
import { installFakeGcloud, isMutating, type FakeGcloud } from "./support/fake-gcloud.js";
import { addBinding, newProject, rolesOf, type FakeProject } from "./support/fake-project.mjs";
import { tempFunctionsDir } from "./support/functions-dir.js";

const P = "demo-proj-2";
const SA = (id: string): string => `${id}@${P}.iam.gserviceaccount.com`;
const RUNTIME = SA("fe-token-service");
const TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator";
const SIGNER_IDS = [
  "fe-driver",
  "fe-consumer",
  "fe-delivery-driver",
  "fe-delivery-consumer",
  "fe-fleet-reader",
  "fe-delivery-fleet-reader",
];

function apply(gcloud: FakeGcloud, functionsDir: string, extra: string[] = [], env = {}) {
  return runNpmScript(
    "setup:iam",
    ["--project", P, "--apply", "--functions-dir", functionsDir, ...extra],
    { ...gcloud.env, ...env },
  );
}

function expectProductionSetup(project: FakeProject): void {
  for (const service of [
    "iamcredentials.googleapis.com",
    "fleetengine.googleapis.com",
    "iam.googleapis.com",
  ]) {
    expect(project.enabledServices).toContain(service);
  }
  const emails = project.serviceAccounts.map((account) => account.email);
  expect(emails).toContain(RUNTIME);
  // The types functions/.env enables: every type but the opt-in trustedDeliveryDriver.
  expect(DEFAULT_ENABLED_TOKEN_TYPES).toHaveLength(SIGNER_IDS.length);
  DEFAULT_ENABLED_TOKEN_TYPES.forEach((type, index) => {
    const email = SA(SIGNER_IDS[index]);
    expect(emails).toContain(email);
    // Exactly the type's Fleet Engine role on the project, nothing else.
    expect(rolesOf(project.projectPolicy, `serviceAccount:${email}`)).toEqual([
      TOKEN_TYPE_SPECS[type].fleetEngineRole,
    ]);
    // The runtime account may sign as it: Token Creator on this account.
    expect(project.accountPolicies[email]?.bindings).toEqual([
      { role: TOKEN_CREATOR, members: [`serviceAccount:${RUNTIME}`] },
    ]);
  });
  // Never Token Creator on the project.
  expect(rolesOf(project.projectPolicy, `serviceAccount:${RUNTIME}`)).toEqual([
    "roles/datastore.viewer",
    "roles/firebaseauth.viewer",
  ]);
  expect(project.projectPolicy.bindings.some((b) => b.role === TOKEN_CREATOR)).toBe(false);
}

describe("npm run setup:iam -- --apply (against a fake gcloud)", () => {
  it("prepares a fresh project, writes the params, and a second run changes nothing", async () => {
    const gcloud = installFakeGcloud(newProject({ projectId: P }));
    const functionsDir = tempFunctionsDir();
    const envFile = path.join(functionsDir, `.env.${P}`);
    // The user's own lines must survive; a stale signer value is replaced in place.
    writeFileSync(
      envFile,
      "# my settings\nTOKEN_TTL_SECONDS=1800\nDRIVER_SIGNER_ACCOUNT=old@demo-proj-2.iam.gserviceaccount.com\n",
    );

    const first = await apply(gcloud, functionsDir);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expectProductionSetup(gcloud.state());
    const created = gcloud
      .calls()
      .filter((call) => call.args.slice(0, 3).join(" ") === "iam service-accounts create")
      .map((call) => call.args[3]);
    expect(created).toEqual(["fe-token-service", ...SIGNER_IDS]);
    expect(gcloud.calls().every((call) => call.exit === 0)).toBe(true);

    expect(readFileSync(envFile, "utf8")).toBe(
      [
        "# my settings",
        "TOKEN_TTL_SECONDS=1800",
        `DRIVER_SIGNER_ACCOUNT=${SA("fe-driver")}`,
        "",
        `# Written by setup-iam for project ${P}: the function's accounts.`,
        `RUNTIME_SERVICE_ACCOUNT=${RUNTIME}`,
        `CONSUMER_SIGNER_ACCOUNT=${SA("fe-consumer")}`,
        `DELIVERY_DRIVER_SIGNER_ACCOUNT=${SA("fe-delivery-driver")}`,
        `DELIVERY_CONSUMER_SIGNER_ACCOUNT=${SA("fe-delivery-consumer")}`,
        `FLEET_READER_SIGNER_ACCOUNT=${SA("fe-fleet-reader")}`,
        `DELIVERY_FLEET_READER_SIGNER_ACCOUNT=${SA("fe-delivery-fleet-reader")}`,
        "",
      ].join("\n"),
    );
    expect(first.stdout).toContain("22 command(s) run, 0 already done");

    const stateAfterFirst = gcloud.stateText();
    const envAfterFirst = readFileSync(envFile, "utf8");
    gcloud.clearCalls();

    const second = await apply(gcloud, functionsDir);
    expect(second.code).toBe(0);
    expect(gcloud.calls().length).toBeGreaterThan(0);
    expect(gcloud.calls().filter(isMutating)).toEqual([]);
    expect(gcloud.stateText()).toBe(stateAfterFirst);
    expect(readFileSync(envFile, "utf8")).toBe(envAfterFirst);
    expect(second.stdout).toContain("0 command(s) run, 22 already done");
    expect(second.stdout).toContain(`.env.${P} unchanged`);
  });

  it("stops at a failing command, says which, leaves the params alone, and resumes on re-run", async () => {
    const gcloud = installFakeGcloud(newProject({ projectId: P }));
    const functionsDir = tempFunctionsDir();
    const failing = "iam service-accounts create fe-consumer";
    const failed = await apply(gcloud, functionsDir, [], {
      FAKE_GCLOUD_FAIL: JSON.stringify({
        match: failing,
        stderr: "ERROR: (gcloud.iam.service-accounts.create) PERMISSION_DENIED: scripted",
      }),
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("setup-iam stopped. This command failed:");
    expect(failed.stderr).toContain(
      `gcloud iam service-accounts create fe-consumer --project=${P} --display-name='Fleet Engine consumer tokens'`,
    );
    expect(failed.stderr).toContain("PERMISSION_DENIED: scripted");
    // Nothing ran after the failing command, and the params were not written.
    const calls = gcloud.calls();
    expect(calls.at(-1)?.args.join(" ")).toContain(failing);
    expect(calls.at(-1)?.exit).toBe(1);
    expect(existsSync(path.join(functionsDir, `.env.${P}`))).toBe(false);
    expect(gcloud.state().serviceAccounts.map((a) => a.email)).not.toContain(SA("fe-consumer"));

    gcloud.clearCalls();
    const resumed = await apply(gcloud, functionsDir);
    expect(resumed.code).toBe(0);
    const created = gcloud
      .calls()
      .filter((call) => call.args.slice(0, 3).join(" ") === "iam service-accounts create")
      .map((call) => call.args[3]);
    expect(created).toEqual(SIGNER_IDS.slice(1)); // the runtime account and fe-driver existed
    expectProductionSetup(gcloud.state());
  });

  it("warns about a project-level Token Creator grant it did not make, without removing it", async () => {
    const project = newProject({ projectId: P });
    project.serviceAccounts.push({ email: RUNTIME, displayName: "runtime" });
    addBinding(project.projectPolicy, TOKEN_CREATOR, `serviceAccount:${RUNTIME}`);
    const gcloud = installFakeGcloud(project);
    const result = await apply(gcloud, tempFunctionsDir());
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `WARNING: ${RUNTIME} holds ${TOKEN_CREATOR} on the whole project`,
    );
    expect(result.stderr).toContain(
      `gcloud projects remove-iam-policy-binding ${P} --member=serviceAccount:${RUNTIME} --role=${TOKEN_CREATOR}`,
    );
    expect(rolesOf(gcloud.state().projectPolicy, `serviceAccount:${RUNTIME}`)).toContain(
      TOKEN_CREATOR,
    );
  });

  it("warns loudly about Owner or Editor on the runtime or a signing account, without removing it", async () => {
    const project = newProject({ projectId: P });
    const compute = "123456789012-compute@developer.gserviceaccount.com";
    project.serviceAccounts.push({ email: SA("fe-driver"), displayName: "driver" });
    addBinding(project.projectPolicy, "roles/owner", `serviceAccount:${SA("fe-driver")}`);
    const gcloud = installFakeGcloud(project);
    const result = await apply(gcloud, tempFunctionsDir(), [
      "--types",
      "driver,consumer",
      "--runtime-account",
      compute,
    ]);
    expect(result.code).toBe(0);
    const frame = "!".repeat(78);
    const framed = result.stderr.slice(
      result.stderr.indexOf(frame),
      result.stderr.lastIndexOf(frame),
    );
    expect(framed).toContain(
      `WARNING: ${compute} holds roles/editor on project ${P}: the function's code, and every dependency it loads, runs with it`,
    );
    expect(framed).toContain(
      `WARNING: ${SA("fe-driver")} holds roles/owner on project ${P}: every driver token it signs carries that power`,
    );
    expect(framed).toContain(
      `gcloud projects remove-iam-policy-binding ${P} --member=serviceAccount:${SA("fe-driver")} --role=roles/owner`,
    );
    expect(framed).not.toContain(SA("fe-consumer"));
    const state = gcloud.state();
    expect(rolesOf(state.projectPolicy, `serviceAccount:${SA("fe-driver")}`)).toContain(
      "roles/owner",
    );
    expect(rolesOf(state.projectPolicy, `serviceAccount:${compute}`)).toContain("roles/editor");
    expect(result.stdout).toContain(
      `Next: npx firebase deploy --only functions:fleet-engine-tokens --project ${P}, then npm run doctor -- --project ${P}`,
    );
  });

  it("refuses a runtime account email that does not exist, before changing anything", async () => {
    const gcloud = installFakeGcloud(newProject({ projectId: P, projectNumber: "42" }));
    const result = await apply(gcloud, tempFunctionsDir(), [
      "--runtime-account",
      "777-compute@developer.gserviceaccount.com",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("777-compute@developer.gserviceaccount.com does not exist");
    expect(gcloud.calls().filter(isMutating)).toEqual([]);
  });

  it("reports a project it cannot see with gcloud's own message", async () => {
    const gcloud = installFakeGcloud(newProject({ projectId: "someone-else" }));
    const result = await apply(gcloud, tempFunctionsDir());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`gcloud projects describe ${P}`);
    expect(result.stderr).toContain("not found or permission denied");
  });
});

describe("applyPlan", () => {
  function setup(gcloud: FakeGcloud) {
    const accounts = chooseAccounts({ project: P, types: ["driver"], overrides: {} });
    const plan = planSetup({
      project: P,
      accounts,
      operators: [],
      consumeAppCheckToken: false,
      checkRevokedTokens: true,
    });
    const delays: number[] = [];
    const run = () =>
      applyPlan({
        gcloud: systemGcloud({ ...process.env, ...gcloud.env }),
        plan,
        accounts,
        log: () => undefined,
        retryDelaysMs: [10, 20, 30],
        sleep: async (ms) => void delays.push(ms),
      });
    return { run, delays };
  }

  it("retries a binding on a just-created account that IAM does not see yet", async () => {
    const gcloud = installFakeGcloud(newProject({ projectId: P }));
    const { run, delays } = setup(gcloud);
    scriptFailure(gcloud, {
      match: `add-iam-policy-binding ${P} --member=serviceAccount:${SA("fe-driver")}`,
      times: 2,
      stderr: `ERROR: (gcloud.projects.add-iam-policy-binding) INVALID_ARGUMENT: Service account ${SA("fe-driver")} does not exist.`,
    });
    const result = await run();
    expect(delays).toEqual([10, 20]);
    expect(result.ran).toHaveLength(7);
    expect(rolesOf(gcloud.state().projectPolicy, `serviceAccount:${SA("fe-driver")}`)).toEqual([
      "roles/fleetengine.driverSdkUser",
    ]);
  });

  it("does not retry a refusal that waiting cannot fix", async () => {
    const gcloud = installFakeGcloud(newProject({ projectId: P }));
    const { run, delays } = setup(gcloud);
    scriptFailure(gcloud, {
      match: `add-iam-policy-binding ${P} --member=serviceAccount:${SA("fe-driver")}`,
      stderr: "ERROR: (gcloud.projects.add-iam-policy-binding) PERMISSION_DENIED: no",
    });
    await expect(run()).rejects.toMatchObject({ name: "GcloudError" });
    expect(delays).toEqual([]);
  });
});

/** Scripted failures for the in-process runs, which pass gcloud.env to the child processes. */
function scriptFailure(
  gcloud: FakeGcloud,
  spec: { match: string; times?: number; stderr: string },
): void {
  gcloud.env.FAKE_GCLOUD_FAIL = JSON.stringify(spec);
}
