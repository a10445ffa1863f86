import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runNpmScript } from "./support/cli.js";
import { tempFunctionsDir } from "./support/functions-dir.js";

const P = "demo-proj-1";
const SA = (id: string): string => `${id}@${P}.iam.gserviceaccount.com`;
const RUNTIME = SA("fe-token-service");

/** The signing accounts and the Fleet Engine roles the issue asks for, written out by hand. */
const SIGNERS = [
  ["driver", "fe-driver", "roles/fleetengine.driverSdkUser"],
  ["consumer", "fe-consumer", "roles/fleetengine.consumerSdkUser"],
  ["deliveryDriver", "fe-delivery-driver", "roles/fleetengine.deliveryUntrustedDriver"],
  ["deliveryConsumer", "fe-delivery-consumer", "roles/fleetengine.deliveryConsumer"],
  ["fleetReader", "fe-fleet-reader", "roles/fleetengine.viewer"],
  ["deliveryFleetReader", "fe-delivery-fleet-reader", "roles/fleetengine.deliveryFleetReader"],
] as const;

function gcloudLines(stdout: string): string[] {
  return stdout.split("\n").filter((line) => line.startsWith("gcloud "));
}

describe("npm run setup:iam (printing the plan)", () => {
  it("prints every gcloud command a fresh project needs, in order, and changes nothing", async () => {
    const functionsDir = tempFunctionsDir();
    const result = await runNpmScript("setup:iam", [
      "--project",
      P,
      "--functions-dir",
      functionsDir,
    ]);
    expect(result.code).toBe(0);
    expect(gcloudLines(result.stdout)).toEqual([
      `gcloud services enable iamcredentials.googleapis.com fleetengine.googleapis.com iam.googleapis.com --project=${P}`,
      `gcloud iam service-accounts create fe-token-service --project=${P} --display-name='Fleet Engine token service (function runtime)'`,
      `gcloud projects add-iam-policy-binding ${P} --member=serviceAccount:${RUNTIME} --role=roles/datastore.viewer --condition=None`,
      `gcloud projects add-iam-policy-binding ${P} --member=serviceAccount:${RUNTIME} --role=roles/firebaseauth.viewer --condition=None`,
      ...SIGNERS.flatMap(([type, id, role]) => [
        `gcloud iam service-accounts create ${id} --project=${P} --display-name='Fleet Engine ${type} tokens'`,
        `gcloud projects add-iam-policy-binding ${P} --member=serviceAccount:${SA(id)} --role=${role} --condition=None`,
        `gcloud iam service-accounts add-iam-policy-binding ${SA(id)} --project=${P} --member=serviceAccount:${RUNTIME} --role=roles/iam.serviceAccountTokenCreator --condition=None`,
      ]),
    ]);
    // Token Creator is only ever granted on an account, never on the project.
    expect(result.stdout).not.toMatch(
      /projects add-iam-policy-binding .*roles\/iam\.serviceAccountTokenCreator/,
    );
    expect(result.stdout).toContain(`#   RUNTIME_SERVICE_ACCOUNT=${RUNTIME}`);
    expect(result.stdout).toContain(
      `#   DELIVERY_FLEET_READER_SIGNER_ACCOUNT=${SA("fe-delivery-fleet-reader")}`,
    );
    expect(result.stdout).toContain("nothing was changed");
  });

  it("takes the types, account names, runtime account and operators it is given", async () => {
    const result = await runNpmScript("setup:iam", [
      "--project",
      P,
      "--functions-dir",
      tempFunctionsDir(),
      "--types",
      "driver,consumer",
      "--account",
      "driver=ride-driver-signer",
      "--runtime-account",
      "123456789012-compute@developer.gserviceaccount.com",
      "--operator",
      "user:ops@example.com",
    ]);
    expect(result.code).toBe(0);
    const compute = "serviceAccount:123456789012-compute@developer.gserviceaccount.com";
    expect(gcloudLines(result.stdout)).toEqual([
      `gcloud services enable iamcredentials.googleapis.com fleetengine.googleapis.com iam.googleapis.com --project=${P}`,
      // An existing account given by email is never created.
      `gcloud projects add-iam-policy-binding ${P} --member=${compute} --role=roles/datastore.viewer --condition=None`,
      `gcloud projects add-iam-policy-binding ${P} --member=${compute} --role=roles/firebaseauth.viewer --condition=None`,
      `gcloud iam service-accounts add-iam-policy-binding 123456789012-compute@developer.gserviceaccount.com --project=${P} --member=user:ops@example.com --role=roles/iam.serviceAccountTokenCreator --condition=None`,
      `gcloud iam service-accounts create ride-driver-signer --project=${P} --display-name='Fleet Engine driver tokens'`,
      `gcloud projects add-iam-policy-binding ${P} --member=serviceAccount:${SA("ride-driver-signer")} --role=roles/fleetengine.driverSdkUser --condition=None`,
      `gcloud iam service-accounts add-iam-policy-binding ${SA("ride-driver-signer")} --project=${P} --member=${compute} --role=roles/iam.serviceAccountTokenCreator --condition=None`,
      `gcloud iam service-accounts create fe-consumer --project=${P} --display-name='Fleet Engine consumer tokens'`,
      `gcloud projects add-iam-policy-binding ${P} --member=serviceAccount:${SA("fe-consumer")} --role=roles/fleetengine.consumerSdkUser --condition=None`,
      `gcloud iam service-accounts add-iam-policy-binding ${SA("fe-consumer")} --project=${P} --member=${compute} --role=roles/iam.serviceAccountTokenCreator --condition=None`,
    ]);
    expect(result.stdout).not.toContain("DELIVERY_DRIVER_SIGNER_ACCOUNT");
  });

  it("grants the App Check verifier role when the params consume App Check tokens", async () => {
    const functionsDir = tempFunctionsDir();
    writeFileSync(`${functionsDir}/.env.${P}`, "CONSUME_APP_CHECK_TOKEN=true\n");
    const result = await runNpmScript("setup:iam", [
      "--project",
      P,
      "--functions-dir",
      functionsDir,
    ]);
    expect(result.code).toBe(0);
    expect(gcloudLines(result.stdout)).toContain(
      `gcloud projects add-iam-policy-binding ${P} --member=serviceAccount:${RUNTIME} --role=roles/firebaseappcheck.tokenVerifier --condition=None`,
    );
  });

  it("prepares only the token types ENABLED_TOKEN_TYPES enables, and refuses the others", async () => {
    const functionsDir = tempFunctionsDir();
    writeFileSync(`${functionsDir}/.env.${P}`, "ENABLED_TOKEN_TYPES=consumer,driver\n");
    const result = await runNpmScript("setup:iam", [
      "--project",
      P,
      "--functions-dir",
      functionsDir,
    ]);
    expect(result.code).toBe(0);
    const created = gcloudLines(result.stdout).filter((line) => line.includes(" create "));
    expect(created.map((line) => line.split(" ")[4])).toEqual([
      "fe-token-service",
      "fe-driver",
      "fe-consumer",
    ]);
    expect(result.stdout).toContain(`#   CONSUMER_SIGNER_ACCOUNT=${SA("fe-consumer")}`);
    expect(result.stdout).not.toContain("FLEET_READER_SIGNER_ACCOUNT");

    const refused = await runNpmScript("setup:iam", [
      "--project",
      P,
      "--functions-dir",
      functionsDir,
      "--types",
      "driver,deliveryDriver",
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "--types: deliveryDriver is not enabled (ENABLED_TOKEN_TYPES=driver,consumer)",
    );
    expect(refused.stdout).not.toMatch(/^gcloud /m);
  });

  it("prepares the opt-in trustedDeliveryDriver only where ENABLED_TOKEN_TYPES lists it", async () => {
    const functionsDir = tempFunctionsDir();
    const refused = await runNpmScript("setup:iam", [
      "--project",
      P,
      "--functions-dir",
      functionsDir,
      "--types",
      "trustedDeliveryDriver",
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--types: trustedDeliveryDriver is not enabled");

    writeFileSync(
      `${functionsDir}/.env.${P}`,
      "ENABLED_TOKEN_TYPES=deliveryDriver,trustedDeliveryDriver,deliveryConsumer\n",
    );
    const result = await runNpmScript("setup:iam", [
      "--project",
      P,
      "--functions-dir",
      functionsDir,
    ]);
    expect(result.code).toBe(0);
    const trusted = SA("fe-trusted-delivery-driver");
    expect(gcloudLines(result.stdout)).toEqual(
      expect.arrayContaining([
        `gcloud iam service-accounts create fe-trusted-delivery-driver --project=${P} --display-name='Fleet Engine trustedDeliveryDriver tokens'`,
        `gcloud projects add-iam-policy-binding ${P} --member=serviceAccount:${trusted} --role=roles/fleetengine.deliveryTrustedDriver --condition=None`,
        `gcloud iam service-accounts add-iam-policy-binding ${trusted} --project=${P} --member=serviceAccount:${RUNTIME} --role=roles/iam.serviceAccountTokenCreator --condition=None`,
      ]),
    );
    const created = gcloudLines(result.stdout).filter((line) => line.includes(" create "));
    expect(created.map((line) => line.split(" ")[4])).toEqual([
      "fe-token-service",
      "fe-delivery-driver",
      "fe-trusted-delivery-driver",
      "fe-delivery-consumer",
    ]);
    // Its own account, never the untrusted driver's: the two roles differ.
    expect(result.stdout).toContain(`#   TRUSTED_DELIVERY_DRIVER_SIGNER_ACCOUNT=${trusted}`);
    expect(result.stdout).toContain(
      `#   DELIVERY_DRIVER_SIGNER_ACCOUNT=${SA("fe-delivery-driver")}`,
    );
  });

  it("names a bad ENABLED_TOKEN_TYPES before planning anything", async () => {
    const functionsDir = tempFunctionsDir();
    writeFileSync(`${functionsDir}/.env.${P}`, "ENABLED_TOKEN_TYPES=driver,admin\n");
    const result = await runNpmScript("setup:iam", [
      "--project",
      P,
      "--functions-dir",
      functionsDir,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'param ENABLED_TOKEN_TYPES="driver,admin" lists unknown token types admin',
    );
    expect(result.stdout).not.toMatch(/^gcloud /m);
  });

  it("takes a group as operator, with a warning that everyone in it may sign", async () => {
    const result = await runNpmScript("setup:iam", [
      "--project",
      P,
      "--functions-dir",
      tempFunctionsDir(),
      "--operator",
      "group:fleet-ops@example.com",
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "WARNING: --operator group:fleet-ops@example.com: every member of this group",
    );
    expect(gcloudLines(result.stdout)).toContain(
      `gcloud iam service-accounts add-iam-policy-binding ${RUNTIME} --project=${P} --member=group:fleet-ops@example.com --role=roles/iam.serviceAccountTokenCreator --condition=None`,
    );
  });

  it.each([
    [[], /--project is required/],
    [["--project", "My Project"], /neither a Google Cloud project ID .* nor an alias/],
    [["--project", P, "--types", "driver,admin"], /unknown token type admin/],
    [["--project", P, "--account", "driver=fe-consumer"], /needs its own account/],
    [["--project", P, "--runtime-account", "fe-driver"], /needs its own account/],
    [["--project", P, "--account", "consumer=x@other-proj.iam.gserviceaccount.com"], /account ID/],
    [["--project", P, "--operator", "ops@example.com"], /not an operator member/],
    [["--project", P, "--operator", "domain:example.com"], /domain: would let everyone/],
    [["--project", P, "--operator", "allUsers"], /allUsers would let everyone/],
    [["--project", P, "--operator", "allAuthenticatedUsers"], /allAuthenticatedUsers would/],
    [["--project", P, "--operator", "principalSet://iam.googleapis.com/x"], /not an operator/],
    [["--project", P, "--operator", "user:not-an-email"], /is not an email/],
    [["--project", P, "--bogus"], /Unknown option '--bogus'/],
  ])("refuses %j with a usage error (exit 2)", async (args, message) => {
    const result = await runNpmScript("setup:iam", [
      ...args,
      "--functions-dir",
      tempFunctionsDir(),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("npm run setup:iam -- --project PROJECT");
    expect(result.stdout).not.toMatch(/^gcloud /m);
  });
});
