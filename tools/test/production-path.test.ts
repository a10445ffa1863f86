import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TOKEN_TYPES } from "../src/shared/functions-code.js";
import { runNpmScript } from "./support/cli.js";
import { installFakeGcloud } from "./support/fake-gcloud.js";
import { startFakeGoogle, type FakeGoogle } from "./support/fake-google.js";
import { newProject } from "./support/fake-project.mjs";
import { tempFunctionsDir } from "./support/functions-dir.js";
import {
  ALL_RESOURCE_FLAGS,
  deployedCallable,
  RESOURCE_IDS,
} from "./support/production-project.js";

const P = "demo-path-1";
const OPERATOR = `doctor-operator@${P}.iam.gserviceaccount.com`;
let google: FakeGoogle | undefined;

afterEach(async () => {
  await google?.close();
});

describe("from an empty project to a verified setup", () => {
  it("setup:iam --apply, then doctor finds nothing to fix", async () => {
    // An empty project; the operator (the ADC identity of the doctor) owns it.
    const empty = newProject({ projectId: P, owner: `serviceAccount:${OPERATOR}` });
    empty.serviceAccounts.push({ email: OPERATOR, displayName: "operator" });
    const gcloud = installFakeGcloud(empty);
    const functionsDir = tempFunctionsDir();
    // Every token type, the opt-in trustedDeliveryDriver included, so that the path covers its
    // account, its role and its Fleet Engine read too.
    writeFileSync(
      path.join(functionsDir, `.env.${P}`),
      `ENABLED_TOKEN_TYPES=${TOKEN_TYPES.join(",")}\n`,
    );

    const setup = await runNpmScript(
      "setup:iam",
      [
        "--project",
        P,
        "--apply",
        "--operator",
        "user:you@example.com",
        "--operator",
        `serviceAccount:${OPERATOR}`,
        "--functions-dir",
        functionsDir,
      ],
      gcloud.env,
    );
    expect(setup.code).toBe(0);
    const params = readFileSync(path.join(functionsDir, `.env.${P}`), "utf8");
    expect(params).toContain(
      `RUNTIME_SERVICE_ACCOUNT=fe-token-service@${P}.iam.gserviceaccount.com`,
    );
    expect(params).toContain(
      `TRUSTED_DELIVERY_DRIVER_SIGNER_ACCOUNT=fe-trusted-delivery-driver@${P}.iam.gserviceaccount.com`,
    );

    // The project as gcloud left it, the function as the deploy of step 3 leaves it, and the
    // backend's Fleet Engine data.
    const project = gcloud.state();
    project.enabledServices.push("cloudfunctions.googleapis.com");
    project.functions = [deployedCallable(`fe-token-service@${P}.iam.gserviceaccount.com`)];
    project.fleetEngine = {
      vehicles: [RESOURCE_IDS.vehicle],
      trips: [RESOURCE_IDS.trip],
      deliveryVehicles: [RESOURCE_IDS.deliveryVehicle],
      taskTrackingInfo: [RESOURCE_IDS.tracking],
    };
    google = await startFakeGoogle(project, OPERATOR);
    const doctor = await runNpmScript(
      "doctor",
      ["--project", P, "--functions-dir", functionsDir, ...ALL_RESOURCE_FLAGS],
      google.env,
    );
    expect(doctor.stdout).not.toMatch(/^\s*(FAIL|WARN|SKIP) /m);
    expect(doctor.stdout).toMatch(/Result: \d+ passed, 0 failed, 0 warnings, 0 skipped\./);
    expect(doctor.code).toBe(0);
    expect(google.signatures).toHaveLength(TOKEN_TYPES.length);
    expect(doctor.stdout).toContain(
      `PASS  Fleet Engine GET providers/${P}/deliveryVehicles/${RESOURCE_IDS.deliveryVehicle}: answered with the trustedDeliveryDriver token`,
    );
    expect(google.problems).toEqual([]);
  });
});
