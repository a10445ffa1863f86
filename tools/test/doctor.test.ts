import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TOKEN_TYPES } from "../src/shared/functions-code.js";
import { runNpmScript, type CliResult } from "./support/cli.js";
import { removeBinding, rolesOf } from "./support/fake-project.mjs";
import { startFakeGoogle, type FakeGoogle } from "./support/fake-google.js";
import {
  ALL_RESOURCE_FLAGS,
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
): Promise<CliResult> {
  google = await startFakeGoogle(setup.project, setup.operator);
  const result = await runNpmScript(
    "doctor",
    ["--project", P, "--functions-dir", setup.functionsDir, ...args],
    google.env,
  );
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
    ).toHaveLength(6);
    const fleetEngine = lines(result, "PASS").filter((line) => line.includes("Fleet Engine GET"));
    expect(fleetEngine).toHaveLength(8);
    expect(result.stdout).toContain(
      `PASS  Fleet Engine GET providers/${P}/vehicles/${RESOURCE_IDS.vehicle}: answered with the driver token`,
    );
    expect(result.stdout).toContain(
      `PASS  Fleet Engine GET providers/${P}/taskTrackingInfo/${RESOURCE_IDS.tracking}: answered with the deliveryFleetReader token`,
    );
    expect(result.stdout).toContain('authorization {"vehicleid":"vehicle-1"}');
    expect(result.stdout).toMatch(/Result: \d+ passed, 0 failed, 0 warnings, 0 skipped\./);
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
