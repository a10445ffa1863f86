import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TOKEN_TYPES } from "../src/shared/functions-code.js";
import { runNpmScript, type CliResult } from "./support/cli.js";
import { removeBinding, rolesOf } from "./support/fake-project.mjs";
import { startFakeGoogle, type FakeGoogle } from "./support/fake-google.js";
import {
  ALL_RESOURCE_FLAGS,
  deployedCallable,
  productionProject,
  RESOURCE_IDS,
} from "./support/production-project.js";

const P = "demo-doctor-1";
let google: FakeGoogle | undefined;

afterEach(async () => {
  await google?.close();
  google = undefined;
});

async function doctor(
  setup: ReturnType<typeof productionProject>,
  args: string[] = [],
  project: string = P,
): Promise<CliResult> {
  google = await startFakeGoogle(setup.project, setup.operator);
  const result = await runNpmScript(
    "doctor",
    ["--project", project, "--functions-dir", setup.functionsDir, ...args],
    google.env,
  );
  // The test seams are announced, every run.
  for (const variable of Object.keys(google.env).filter((name) =>
    name.startsWith("DOCTOR_TEST_"),
  )) {
    expect(result.stdout).toContain(`NOTICE  ${variable} is set: requests for https://`);
  }
  // Never a token in the output: no JWT, no access token.
  const output = result.stdout + result.stderr;
  expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  for (const token of google.issuedTokens) expect(output).not.toContain(token);
  expect(google.problems).toEqual([]);
  return result;
}

function lines(result: CliResult, status: "PASS" | "FAIL" | "WARN" | "SKIP"): string[] {
  return result.stdout.split("\n").filter((line) => line.trimStart().startsWith(`${status}  `));
}

describe("npm run doctor (against fake Google APIs)", () => {
  it("passes every check of a correct production setup and calls Fleet Engine with each type", async () => {
    const setup = productionProject(P);
    const result = await doctor(setup, ALL_RESOURCE_FLAGS);
    expect(lines(result, "FAIL")).toEqual([]);
    expect(lines(result, "WARN")).toEqual([]);
    expect(result.code).toBe(0);
    // One real signJwt per token type, as the runtime account (impersonated), like the function.
    expect(google!.signatures.sort()).toEqual(
      TOKEN_TYPES.map((type) => `serviceAccount:${setup.runtime} -> ${setup.signers[type]}`).sort(),
    );
    expect(
      lines(result, "PASS").filter((line) => line.includes("token claims and lifetime")),
    ).toHaveLength(TOKEN_TYPES.length);
    const fleetEngine = lines(result, "PASS").filter((line) => line.includes("Fleet Engine GET"));
    // Two types per resource flag, three for the delivery vehicle (trusted driver too).
    expect(fleetEngine).toHaveLength(9);
    expect(result.stdout).toContain(
      `PASS  Fleet Engine GET providers/${P}/deliveryVehicles/${RESOURCE_IDS.deliveryVehicle}: answered with the trustedDeliveryDriver token`,
    );
    expect(result.stdout).toContain(
      `PASS  Fleet Engine GET providers/${P}/vehicles/${RESOURCE_IDS.vehicle}: answered with the driver token`,
    );
    expect(result.stdout).toContain(
      `PASS  Fleet Engine GET providers/${P}/taskTrackingInfo/${RESOURCE_IDS.tracking}: answered with the deliveryFleetReader token`,
    );
    expect(result.stdout).toContain('authorization {"vehicleid":"vehicle-1"}');
    expect(result.stdout).toContain(
      `region us-central1 (https://us-central1-${P}.cloudfunctions.net/getFleetEngineToken), ` +
        "token types driver, consumer, deliveryDriver, trustedDeliveryDriver, deliveryConsumer, fleetReader, deliveryFleetReader (all)",
    );
    expect(result.stdout).toMatch(/Result: \d+ passed, 0 failed, 0 warnings, 0 skipped\./);
    expect(result.stdout).toContain(
      `PASS  getFleetEngineToken deployed in us-central1: codebase fleet-engine-tokens, running as ${setup.runtime}: https://us-central1-${P}.cloudfunctions.net/getFleetEngineToken`,
    );
  });

  it("names the signing account that lacks its Fleet Engine role, and the fix", async () => {
    const setup = productionProject(P);
    const consumer = setup.signers.consumer;
    removeBinding(
      setup.project.projectPolicy,
      "roles/fleetengine.consumerSdkUser",
      `serviceAccount:${consumer}`,
    );
    const result = await doctor(setup, ["--trip", RESOURCE_IDS.trip]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`FAIL  ${consumer} holds roles/fleetengine.consumerSdkUser`);
    expect(result.stdout).toContain(
      `FAIL  Fleet Engine GET providers/${P}/trips/${RESOURCE_IDS.trip}: PERMISSION_DENIED: ${consumer} lacks roles/fleetengine.consumerSdkUser, the role consumer tokens need`,
    );
    expect(result.stdout).toContain(
      `gcloud projects add-iam-policy-binding ${P} --member=serviceAccount:${consumer} --role=roles/fleetengine.consumerSdkUser --condition=None`,
    );
    // The fleetReader token still reads the trip.
    expect(result.stdout).toContain(
      `PASS  Fleet Engine GET providers/${P}/trips/${RESOURCE_IDS.trip}: answered with the fleetReader token`,
    );
  });

  it("fails signing as an account the runtime account has no Token Creator on", async () => {
    const setup = productionProject(P);
    const driver = setup.signers.driver;
    setup.project.accountPolicies[driver] = { bindings: [] };
    const result = await doctor(setup);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `FAIL  runtime account may sign as ${driver}: ${setup.runtime} lacks roles/iam.serviceAccountTokenCreator on ${driver}`,
    );
    expect(result.stdout).toContain(`FAIL  signJwt as ${driver}: HTTP 403 PERMISSION_DENIED`);
    expect(result.stdout).toContain(
      `${setup.runtime} needs roles/iam.serviceAccountTokenCreator on ${driver}`,
    );
    expect(result.stdout).toContain(`PASS  signJwt as ${setup.signers.consumer}`);
  });

  it("says when the Fleet Engine API is not enabled, and when a resource does not exist", async () => {
    const setup = productionProject(P);
    setup.project.enabledServices = setup.project.enabledServices.filter(
      (s) => s !== "fleetengine.googleapis.com",
    );
    const disabled = await doctor(setup, ["--vehicle", RESOURCE_IDS.vehicle]);
    expect(disabled.code).toBe(1);
    expect(disabled.stdout).toContain(`the Fleet Engine API is not enabled in project ${P}`);
    await google!.close();
    google = undefined;

    const missing = await doctor(productionProject(P), ["--delivery-vehicle", "no-such-van"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      `FAIL  Fleet Engine GET providers/${P}/deliveryVehicles/no-such-van: the token was accepted, but there is no delivery vehicle no-such-van in provider ${P}`,
    );
  });

  it("says how to let the operator impersonate the runtime account, or to sign as oneself", async () => {
    const setup = productionProject(P);
    setup.project.accountPolicies[setup.runtime] = { bindings: [] };
    const refused = await doctor(setup);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`FAIL  impersonate the runtime account ${setup.runtime}`);
    expect(refused.stdout).toContain(
      `npm run setup:iam -- --project ${P} --apply --operator user:YOUR_EMAIL`,
    );
    expect(refused.stdout).toContain("SKIP  signJwt: no signing identity");
    await google!.close();
    google = undefined;

    // --no-impersonate: the operator signs, with Token Creator on each signing account.
    for (const email of Object.values(setup.signers)) {
      setup.project.accountPolicies[email].bindings.push({
        role: "roles/iam.serviceAccountTokenCreator",
        members: [`serviceAccount:${setup.operator}`],
      });
    }
    const self = await doctor(setup, ["--no-impersonate"]);
    expect(self.code).toBe(0);
    expect(self.stdout).toContain("WARN  signing identity: signing as your own credentials");
    expect(
      google!.signatures.every((s) => s.startsWith(`serviceAccount:${setup.operator} ->`)),
    ).toBe(true);
  });

  it("flags a project-wide Token Creator grant and a runtime account that cannot read Firestore", async () => {
    const setup = productionProject(P);
    const member = `serviceAccount:${setup.runtime}`;
    removeBinding(setup.project.projectPolicy, "roles/datastore.viewer", member);
    setup.project.projectPolicy.bindings.push({
      role: "roles/iam.serviceAccountTokenCreator",
      members: [member],
    });
    const result = await doctor(setup);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("FAIL  runtime account can read Firestore");
    expect(result.stdout).toContain("FAIL  runtime account has no project-wide Token Creator");
    expect(result.stdout).toContain(
      `gcloud projects remove-iam-policy-binding ${P} --member=${member} --role=roles/iam.serviceAccountTokenCreator`,
    );
    expect(rolesOf(setup.project.projectPolicy, member)).toContain(
      "roles/iam.serviceAccountTokenCreator",
    );
  });

  it("flags a runtime account that cannot look up users while CHECK_REVOKED_TOKENS is on", async () => {
    const setup = productionProject(P);
    const member = `serviceAccount:${setup.runtime}`;
    removeBinding(setup.project.projectPolicy, "roles/firebaseauth.viewer", member);
    const result = await doctor(setup);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("FAIL  runtime account can look up Firebase Auth users");
    expect(result.stdout).toContain(
      `gcloud projects add-iam-policy-binding ${P} --member=${member} --role=roles/firebaseauth.viewer --condition=None`,
    );

    writeFileSync(path.join(setup.functionsDir, `.env.${P}`), "CHECK_REVOKED_TOKENS=false\n", {
      flag: "a",
    });
    const off = await doctor(setup);
    expect(off.stdout).not.toContain("runtime account can look up Firebase Auth users");
  });

  it("stops at invalid params, naming the param, before calling Google", async () => {
    const setup = productionProject(P);
    writeFileSync(
      path.join(setup.functionsDir, `.env.${P}`),
      "DRIVER_SIGNER_ACCOUNT=not-an-email\n",
    );
    const result = await doctor(setup);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("FAIL  param DRIVER_SIGNER_ACCOUNT");
    for (const server of Object.values(google!.servers)) expect(server.requests).toEqual([]);
  });

  it("warns when the project params are empty and the default compute account runs the function", async () => {
    const setup = productionProject(P);
    writeFileSync(path.join(setup.functionsDir, `.env.${P}`), "");
    const result = await doctor(setup);
    expect(result.stdout).toContain("WARN  token types without their own signing account");
    expect(result.stdout).toContain(
      "WARN  runtime account: 123456789012-compute@developer.gserviceaccount.com",
    );
    // The compute account signs every type: it lacks the Fleet Engine roles and Token Creator on itself.
    expect(result.code).toBe(1);
  });

  it("checks only the enabled token types, and says which flags name a type that is not", async () => {
    const setup = productionProject(P);
    writeFileSync(
      path.join(setup.functionsDir, `.env.${P}`),
      "ENABLED_TOKEN_TYPES=consumer,driver\nREGION=europe-west1\n",
      { flag: "a" },
    );
    const result = await doctor(setup, ALL_RESOURCE_FLAGS);
    expect(lines(result, "FAIL")).toEqual([]);
    expect(result.code).toBe(0);
    expect(google!.signatures).toEqual(
      [setup.signers.driver, setup.signers.consumer].map(
        (account) => `serviceAccount:${setup.runtime} -> ${account}`,
      ),
    );
    expect(result.stdout).not.toContain("deliveryDriver tokens, signed by");
    expect(result.stdout).toContain(
      `region europe-west1 (https://europe-west1-${P}.cloudfunctions.net/getFleetEngineToken), ` +
        "token types driver, consumer (not enabled: deliveryDriver, trustedDeliveryDriver, deliveryConsumer, fleetReader, deliveryFleetReader), 2 of 2",
    );
    expect(result.stdout).toContain(
      `SKIP  Fleet Engine GET providers/${P}/deliveryVehicles/${RESOURCE_IDS.deliveryVehicle} with a deliveryDriver token: deliveryDriver is not enabled (ENABLED_TOKEN_TYPES=driver,consumer)`,
    );
    // Four flags, two types each (three for the delivery vehicle), two of them enabled: six
    // refusals to guess, each said; the opt-in trustedDeliveryDriver, off by default, is not
    // worth a line on every run.
    expect(lines(result, "SKIP")).toHaveLength(6);
    expect(result.stdout).not.toContain("with a trustedDeliveryDriver token");
    expect(result.stdout).toContain(
      `PASS  Fleet Engine GET providers/${P}/vehicles/${RESOURCE_IDS.vehicle}: answered with the driver token`,
    );
  });

  it("reports every bad data-model, region and types param, naming each, before calling Google", async () => {
    const setup = productionProject(P);
    writeFileSync(
      path.join(setup.functionsDir, `.env.${P}`),
      [
        "DRIVER_VEHICLE_FIELD=",
        "TRIP_STATUS_FIELD=trip..status",
        "REGION=us-central1,europe-west1",
        "ENABLED_TOKEN_TYPES=driver,admin",
        "",
      ].join("\n"),
      { flag: "a" },
    );
    const result = await doctor(setup);
    expect(result.code).toBe(1);
    expect(lines(result, "FAIL").map((line) => line.trim().split(":")[0])).toEqual([
      "FAIL  param DRIVER_VEHICLE_FIELD",
      "FAIL  param TRIP_STATUS_FIELD",
      "FAIL  param REGION",
      "FAIL  param ENABLED_TOKEN_TYPES",
    ]);
    expect(result.stdout).toContain(
      `FAIL  param REGION: REGION="us-central1,europe-west1" in ${setup.functionsDir}/.env.${P} must name one region`,
    );
    for (const server of Object.values(google!.servers)) expect(server.requests).toEqual([]);
  });

  it("fails when a deployed params file sets an emulator-only variable", async () => {
    const setup = productionProject(P);
    writeFileSync(
      path.join(setup.functionsDir, `.env.${P}`),
      "FLEET_ENGINE_DEV_KEY_FILE=.dev/fleet-engine-dev-key.json\n",
      { flag: "a" },
    );
    writeFileSync(path.join(setup.functionsDir, ".env.local"), "FUNCTIONS_EMULATOR=true\n");
    const result = await doctor(setup);
    expect(result.code).toBe(1);
    expect(lines(result, "FAIL")).toEqual([
      `  FAIL  no setting that redirects credentials, TLS or code in ${setup.functionsDir}/.env.${P}: it sets FLEET_ENGINE_DEV_KEY_FILE, and firebase deploy hands every line of this file to the deployed function as its environment`,
    ]);
    expect(lines(result, "WARN")).toEqual([
      `  WARN  no setting that redirects credentials, TLS or code in ${setup.functionsDir}/.env.local: it sets FUNCTIONS_EMULATOR; only the emulator reads this file (firebase deploy ignores it and does not upload it), so the deployed function is not affected`,
    ]);
  });

  it("fails on settings that redirect a deployed function's credentials, TLS or code", async () => {
    const setup = productionProject(P);
    writeFileSync(
      path.join(setup.functionsDir, ".env"),
      "FIRESTORE_EMULATOR_HOST=127.0.0.1:8080\nNODE_TLS_REJECT_UNAUTHORIZED=0\n",
      { flag: "a" },
    );
    writeFileSync(
      path.join(setup.functionsDir, `.env.${P}`),
      "GCE_METADATA_HOST=metadata.example\nHTTPS_PROXY=http://proxy.example:3128\nTOKEN_TTL_SECOND=600\n",
      { flag: "a" },
    );
    const result = await doctor(setup);
    expect(result.code).toBe(1);
    expect(lines(result, "FAIL").map((line) => line.trim().split(":")[0])).toEqual([
      `FAIL  no setting that redirects credentials, TLS or code in ${setup.functionsDir}/.env`,
      `FAIL  no setting that redirects credentials, TLS or code in ${setup.functionsDir}/.env.${P}`,
    ]);
    expect(result.stdout).toContain(
      "it sets FIRESTORE_EMULATOR_HOST, NODE_TLS_REJECT_UNAUTHORIZED",
    );
    expect(result.stdout).toContain("it sets GCE_METADATA_HOST, HTTPS_PROXY");
    expect(result.stdout).toContain(
      `WARN  keys that are not params in ${setup.functionsDir}/.env.${P}: TOKEN_TTL_SECOND`,
    );
    expect(result.stdout).toContain("TOKEN_TTL_SECOND: did you mean TOKEN_TTL_SECONDS?");
  });

  it("warns on CHECK_REVOKED_TOKENS=false and says what it costs", async () => {
    const setup = productionProject(P);
    writeFileSync(path.join(setup.functionsDir, `.env.${P}`), "CHECK_REVOKED_TOKENS=false\n", {
      flag: "a",
    });
    const result = await doctor(setup);
    expect(lines(result, "WARN")).toEqual([
      expect.stringContaining(
        "WARN  CHECK_REVOKED_TOKENS=false: the function no longer looks callers up",
      ) as string,
    ]);
    expect(result.stdout).toMatch(
      /a revoked session, a disabled or deleted account and a demoted operator keep getting tokens for as long as their ID token lives \(up to an hour/,
    );
    expect(result.code).toBe(0);
  });

  it("reads the files a deploy invoked with an alias of .firebaserc reads, .env.<alias> included", async () => {
    const setup = productionProject(P);
    const projectDir = mkdtempSync(path.join(tmpdir(), "fe-project-"));
    writeFileSync(
      path.join(projectDir, ".firebaserc"),
      JSON.stringify({ projects: { default: "demo-other-1", prod: P } }),
    );
    // The review's case: the per-project file is named after the alias, as firebase use prod
    // users write it; it ships with `firebase deploy --project prod`.
    renameSync(
      path.join(setup.functionsDir, `.env.${P}`),
      path.join(setup.functionsDir, ".env.prod"),
    );
    writeFileSync(
      path.join(setup.functionsDir, ".env.prod"),
      "FUNCTIONS_EMULATOR=true\nENFORCE_APP_CHECK=false\nCHECK_REVOKED_TOKENS=false\n",
      { flag: "a" },
    );
    const result = await doctor(setup, ["--project-dir", projectDir], "prod");
    expect(result.stdout).toContain(
      `Fleet Engine doctor for project ${P} (alias prod in .firebaserc)`,
    );
    expect(lines(result, "FAIL")).toEqual([
      expect.stringContaining(
        `FAIL  no setting that redirects credentials, TLS or code in ${setup.functionsDir}/.env.prod: it sets FUNCTIONS_EMULATOR`,
      ) as string,
    ]);
    expect(result.stdout).toContain(
      `PASS  params: valid as firebase deploy --project prod would read them (${setup.functionsDir}/.env + .env.prod)`,
    );
    expect(result.stdout).toContain("WARN  ENFORCE_APP_CHECK=false");
    expect(result.stdout).toContain("WARN  CHECK_REVOKED_TOKENS=false");
    // The signing accounts of .env.prod were used: one signature per type, as the runtime account.
    expect(google!.signatures).toHaveLength(TOKEN_TYPES.length);

    // Named by its ID, the project's .env.prod is still a file a deploy may ship: its keys fail.
    await google!.close();
    google = undefined;
    const byId = await doctor(setup, ["--project-dir", projectDir]);
    expect(byId.code).toBe(1);
    expect(byId.stdout).toContain(
      `FAIL  no setting that redirects credentials, TLS or code in ${setup.functionsDir}/.env.prod: it sets FUNCTIONS_EMULATOR`,
    );
    expect(byId.stdout).toContain(
      `WARN  ${setup.functionsDir}/.env.prod also configures ${P}: a deploy invoked as firebase deploy --project prod reads it`,
    );
  });

  it("fails, as the deploy would, when both .env.<project> and .env.<alias> exist", async () => {
    const setup = productionProject(P);
    const projectDir = mkdtempSync(path.join(tmpdir(), "fe-project-"));
    writeFileSync(path.join(projectDir, ".firebaserc"), JSON.stringify({ projects: { prod: P } }));
    writeFileSync(path.join(setup.functionsDir, ".env.prod"), "TOKEN_TTL_SECONDS=600\n");
    const result = await doctor(setup, ["--project-dir", projectDir], "prod");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}params files: .*Can't have both dotenv files/);
  });

  it("fails on one account signing two types with different roles, unless --allow-shared-signer", async () => {
    const setup = productionProject(P);
    const driver = setup.signers.driver;
    // The driver account signs consumer tokens too, and holds both roles: everything else works.
    setup.project.projectPolicy.bindings
      .find((binding) => binding.role === "roles/fleetengine.consumerSdkUser")!
      .members.push(`serviceAccount:${driver}`);
    writeFileSync(
      path.join(setup.functionsDir, `.env.${P}`),
      `CONSUMER_SIGNER_ACCOUNT=${driver}\n`,
      { flag: "a" },
    );
    const shared = await doctor(setup);
    expect(shared.code).toBe(1);
    expect(lines(shared, "FAIL")).toEqual([
      `  FAIL  shared signing account: driver, consumer tokens are all signed by ${driver}: that account needs roles/fleetengine.driverSdkUser, roles/fleetengine.consumerSdkUser, and every token carries the power of all its signer's roles: a consumer token would be signed by an account holding roles/fleetengine.driverSdkUser`,
    ]);
    await google!.close();
    google = undefined;

    const allowed = await doctor(setup, ["--allow-shared-signer"]);
    expect(lines(allowed, "FAIL")).toEqual([]);
    expect(lines(allowed, "WARN")).toHaveLength(1);
    expect(lines(allowed, "WARN")[0]).toContain(
      "(allowed for a first try by --allow-shared-signer)",
    );
    expect(allowed.code).toBe(0);
  });

  it("evaluates grants inherited from a readable folder and says which ancestors it could not read", async () => {
    const setup = productionProject(P);
    const consumer = setup.signers.consumer;
    setup.project.ancestors = [
      {
        type: "folder",
        id: "314",
        policy: { bindings: [{ role: "roles/editor", members: [`serviceAccount:${consumer}`] }] },
      },
      { type: "organization", id: "2718" },
    ];
    const result = await doctor(setup);
    expect(result.code).toBe(1);
    expect(lines(result, "FAIL")).toEqual([
      `  FAIL  ${consumer} holds only roles/fleetengine.consumerSdkUser: it also holds roles/editor, and every token it signs carries those roles: with roles/editor a token made for one trip or vehicle carries the power of a project-wide role`,
    ]);
    expect(result.stdout).toContain(
      "roles/editor is inherited from folders/314: remove it there (or ask its administrator)",
    );
    // Every other role check says the organization's grants were not evaluated.
    const notEvaluated = lines(result, "WARN").filter((line) =>
      line.includes("not evaluated: anything inherited from organizations/2718"),
    );
    // The other signing accounts' role checks, and the runtime account's two.
    expect(notEvaluated).toHaveLength(TOKEN_TYPES.length - 1 + 2);
  });

  it("checks the deployed callable in the params' REGION, and names copies elsewhere", async () => {
    const setup = productionProject(P);
    const unrelated = (name: string) => ({
      ...deployedCallable(setup.runtime),
      name,
      codebase: "app",
    });
    setup.project.functions = [
      unrelated("onOrderCreated"),
      unrelated("api"),
      deployedCallable(setup.runtime, "europe-west1"),
      unrelated("nightly"),
    ];
    const moved = await doctor(setup);
    expect(lines(moved, "WARN")).toEqual([
      "  WARN  getFleetEngineToken in other regions: also deployed in europe-west1, not the REGION us-central1 of the params: clients that call there get tokens from that copy",
      "  WARN  getFleetEngineToken deployed in us-central1: not deployed in us-central1 yet (the params' REGION)",
    ]);
    expect(moved.stdout).toContain(
      `-> deploy it: npx firebase deploy --only functions:fleet-engine-tokens --project ${P}`,
    );
    expect(moved.stdout).toContain(
      `-> npx firebase functions:delete getFleetEngineToken --region europe-west1 --project ${P}`,
    );
    await google!.close();
    google = undefined;

    setup.project.functions = [
      {
        ...deployedCallable(`${setup.project.projectNumber}-compute@developer.gserviceaccount.com`),
        codebase: undefined,
        environmentVariables: { FUNCTIONS_EMULATOR: "true" },
      },
    ];
    const stale = await doctor(setup);
    expect(stale.code).toBe(1);
    const [failure, ...others] = lines(stale, "FAIL");
    expect(others).toEqual([]);
    expect(failure).toContain(
      "FAIL  getFleetEngineToken deployed in us-central1: it was deployed from the codebase default, not fleet-engine-tokens",
    );
    expect(failure).toContain(
      `it runs as ${setup.project.projectNumber}-compute@developer.gserviceaccount.com, not the runtime account ${setup.runtime}`,
    );
    expect(failure).toContain("its environment sets FUNCTIONS_EMULATOR");
    expect(stale.stdout).toContain(
      `-> deploy again: npx firebase deploy --only functions:fleet-engine-tokens --project ${P}`,
    );
  });

  it.each([
    [["--project", P, "--vehicle", "*"], /must not contain .*\*/],
    [["--vehicle", "v"], /--project is required/],
    [["--project", P, "--admin"], /Unknown option/],
  ])("refuses %j with a usage error (exit 2)", async (args, message) => {
    const result = await runNpmScript("doctor", args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
