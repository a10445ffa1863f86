import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listInstallations, resolveInstallation } from "../src/shared/firebase-project.js";
import { TOKEN_TYPES } from "../src/shared/functions-code.js";
import { runPackageCli } from "./support/cli.js";
import { installFakeGcloud } from "./support/fake-gcloud.js";
import { newProject } from "./support/fake-project.mjs";
import { startFakeGoogle, type FakeGoogle } from "./support/fake-google.js";
import { productionProject } from "./support/production-project.js";

/**
 * setup-iam, doctor and dev-key as a kit user runs them: the package's command line
 * (`npx fleet-engine-firebase-tokens <command>`, here tools/src/bin.ts, which the package bundles
 * as its bin) in an app folder whose firebase.json has the kit installed, no clone of this
 * repository in sight. They must find the instance's config folder, its region param and its
 * deployed name, and say their advice in the package's own words.
 */

const P = "demo-kit-tools";
const KIT = "fleet-engine-firebase-tokens";

let google: FakeGoogle | undefined;
afterEach(async () => {
  await google?.close();
  google = undefined;
});

/** An app folder with the kit installed as `functions:kits:install` writes it, and its own codebase. */
function kitApp(instances: Record<string, Record<string, string>>): string {
  const app = mkdtempSync(path.join(tmpdir(), "kit-app-"));
  writeFileSync(
    path.join(app, "firebase.json"),
    JSON.stringify({
      functions: [
        { source: "functions", codebase: "default" },
        {
          kit: KIT,
          sourcePackage: { name: KIT },
          source: `function-kits/${KIT}/source`,
          instances: Object.fromEntries(
            Object.keys(instances).map((id) => [id, `function-kits/${KIT}/config-${id}`]),
          ),
        },
      ],
    }),
  );
  writeFileSync(path.join(app, ".firebaserc"), JSON.stringify({ projects: { default: P } }));
  for (const [id, files] of Object.entries(instances)) {
    const dir = path.join(app, "function-kits", KIT, `config-${id}`);
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  }
  return app;
}

const cli = runPackageCli;

const EUROPE_ENV =
  "FUNCTION_DEFAULT_REGION=europe-west1\nENABLED_TOKEN_TYPES=driver,consumer,fleetReader\n";

describe("the installations firebase.json names", () => {
  it("finds a kit instance's config folder, codebase, deployed name and region param", () => {
    const app = kitApp({ "fleet-eu": { ".env": EUROPE_ENV } });
    expect(resolveInstallation({ cwd: path.join(app, "function-kits") })).toEqual({
      kind: "kit",
      projectDir: app,
      codebase: "fleet-eu",
      instance: "fleet-eu",
      configDir: path.join(app, "function-kits", KIT, "config-fleet-eu"),
      functionId: "kit-fleet-eu-getFleetEngineToken",
      regionParam: "FUNCTION_DEFAULT_REGION",
    });
  });

  it("needs --instance when there are several, and names them", () => {
    const app = kitApp({ "fleet-eu": {}, "fleet-us": {} });
    expect(listInstallations(app).map((i) => i.instance)).toEqual(["fleet-eu", "fleet-us"]);
    expect(() => resolveInstallation({ cwd: app })).toThrow(/--instance fleet-eu, fleet-us/);
    expect(resolveInstallation({ cwd: app, instance: "fleet-us" }).codebase).toBe("fleet-us");
    expect(() => resolveInstallation({ cwd: app, instance: "fleet-asia" })).toThrow(
      /no kit instance fleet-asia .* instances of fleet-engine-firebase-tokens: fleet-eu, fleet-us/,
    );
  });
});

describe("npx fleet-engine-firebase-tokens, in an app with the kit installed", () => {
  it("setup-iam writes the instance's .env.<project> and names the instance's deploy", async () => {
    const app = kitApp({ "fleet-eu": { ".env": EUROPE_ENV } });
    const gcloud = installFakeGcloud(newProject({ projectId: P, owner: "user:owner@example.com" }));
    const result = await cli(app, ["setup-iam", "--project", P, "--apply"], gcloud.env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const written = readFileSync(
      path.join(app, "function-kits", KIT, "config-fleet-eu", `.env.${P}`),
      "utf8",
    );
    // Only the types this instance enables get an account.
    expect(written).toContain(
      `RUNTIME_SERVICE_ACCOUNT=fe-token-service@${P}.iam.gserviceaccount.com`,
    );
    expect(written).toContain(`DRIVER_SIGNER_ACCOUNT=fe-driver@${P}`);
    expect(written).not.toContain("DELIVERY_DRIVER_SIGNER_ACCOUNT");
    expect(existsSync(path.join(app, "functions", `.env.${P}`))).toBe(false);
    expect(result.stdout).toContain(
      `Next: firebase deploy --only functions:fleet-eu --project ${P}, then ` +
        `npx fleet-engine-firebase-tokens doctor --project ${P} --instance fleet-eu`,
    );
  });

  it("setup-iam, given an alias of .firebaserc, writes .env.<alias>, the file that deploy reads", async () => {
    const app = kitApp({ "fleet-eu": { ".env": EUROPE_ENV } });
    writeFileSync(
      path.join(app, ".firebaserc"),
      JSON.stringify({ projects: { default: P, prod: P } }),
    );
    const gcloud = installFakeGcloud(newProject({ projectId: P, owner: "user:owner@example.com" }));
    const result = await cli(app, ["setup-iam", "--project", "prod", "--apply"], gcloud.env);
    expect(result.code).toBe(0);
    const config = path.join(app, "function-kits", KIT, "config-fleet-eu");
    expect(readFileSync(path.join(config, ".env.prod"), "utf8")).toContain(
      `RUNTIME_SERVICE_ACCOUNT=fe-token-service@${P}.iam.gserviceaccount.com`,
    );
    // Not .env.<project id> too: the deploy refuses both at once.
    expect(existsSync(path.join(config, `.env.${P}`))).toBe(false);
    expect(result.stdout).toContain("firebase deploy --only functions:fleet-eu --project prod");
  });

  it("doctor checks the instance: its params, its region, kit-<instance>-getFleetEngineToken", async () => {
    const setup = productionProject(P);
    const accounts = readFileSync(path.join(setup.functionsDir, `.env.${P}`), "utf8");
    const app = kitApp({
      "fleet-eu": {
        ".env": readFileSync(path.join(setup.functionsDir, ".env"), "utf8")
          .replace(/^REGION=.*$/m, "FUNCTION_DEFAULT_REGION=europe-west1")
          .replace(/^ENABLED_TOKEN_TYPES=.*$/m, `ENABLED_TOKEN_TYPES=${TOKEN_TYPES.join(",")}`),
        [`.env.${P}`]: accounts,
      },
    });
    setup.project.functions = [
      {
        name: "kit-fleet-eu-getFleetEngineToken",
        region: "europe-west1",
        codebase: "fleet-eu",
        serviceAccountEmail: setup.runtime,
      },
    ];
    google = await startFakeGoogle(setup.project, setup.operator);
    const result = await cli(app, ["doctor", "--project", P], google.env);
    expect(google.problems).toEqual([]);
    expect(result.stdout).not.toMatch(/^\s*(FAIL|WARN) /m);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Fleet Engine doctor for project ${P}, kit instance fleet-eu`);
    expect(result.stdout).toContain(
      `region europe-west1 (https://europe-west1-${P}.cloudfunctions.net/kit-fleet-eu-getFleetEngineToken)`,
    );
    expect(result.stdout).toContain(
      "PASS  kit-fleet-eu-getFleetEngineToken deployed in europe-west1: codebase fleet-eu",
    );
    expect(google.signatures).toHaveLength(TOKEN_TYPES.length);
  });

  it("doctor's advice is the package's commands for this instance", async () => {
    const setup = productionProject(P);
    const app = kitApp({
      "fleet-eu": {
        ".env": EUROPE_ENV,
        // Driver signed by the runtime account, and the clone's region param, which a kit ignores.
        [`.env.${P}`]: `RUNTIME_SERVICE_ACCOUNT=${setup.runtime}\nREGION=europe-west1\n`,
      },
    });
    setup.project.functions = [];
    google = await startFakeGoogle(setup.project, setup.operator);
    const result = await cli(app, ["doctor", "--project", P, "--instance", "fleet-eu"], google.env);
    expect(result.stdout).toContain(
      `npx fleet-engine-firebase-tokens setup-iam --project ${P} --apply --instance fleet-eu`,
    );
    expect(result.stdout).toMatch(/WARN {2}keys that are not params in .*\.env\.demo-kit-tools/);
    expect(result.stdout).toMatch(/REGION: not a param of the function/);
    expect(result.stdout).toMatch(/WARN {2}params without a value/);
    expect(result.stdout).toContain(
      `deploy it: firebase deploy --only functions:fleet-eu --project ${P}`,
    );
    expect(result.stdout).not.toMatch(/npm run (setup:iam|doctor)/);
    // Only the enabled types are signed: the others are not this instance's business.
    for (const type of TOKEN_TYPES.filter((t) => !EUROPE_ENV.includes(t))) {
      expect(result.stdout).not.toContain(`${type} token`);
    }
  });

  it("doctor FAILs on an emulator setting in the instance's deployable params, WARNs in .env.local", async () => {
    const setup = productionProject(P);
    const app = kitApp({
      "fleet-eu": {
        ".env": `${EUROPE_ENV}FIRESTORE_EMULATOR_HOST=127.0.0.1:8080\n`,
        ".env.local": "FLEET_ENGINE_DEV_KEY_FILE=/tmp/dev-key.json\n",
      },
    });
    google = await startFakeGoogle(setup.project, setup.operator);
    const result = await cli(app, ["doctor", "--project", P], google.env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /FAIL {2}no setting that redirects credentials, TLS or code in .*config-fleet-eu\/\.env: it sets FIRESTORE_EMULATOR_HOST/,
    );
    expect(result.stdout).toMatch(
      /WARN {2}no setting that redirects credentials, TLS or code in .*config-fleet-eu\/\.env\.local/,
    );
  });

  it("dev-key names an absolute key in the instance's .env.local, and keeps it on a rerun", async () => {
    const app = kitApp({ "fleet-eu": { ".env": EUROPE_ENV, ".env.local": "KEEP_ME=1\n" } });
    const first = await cli(path.join(app, "function-kits"), ["dev-key"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Created the dev key");
    const local = readFileSync(
      path.join(app, "function-kits", KIT, "config-fleet-eu", ".env.local"),
      "utf8",
    );
    expect(local).toContain("KEEP_ME=1");
    expect(local).toContain(
      `FLEET_ENGINE_DEV_KEY_FILE=${path.join(app, ".fleet-engine-dev", "dev-key.json")}`,
    );
    const key = readFileSync(path.join(app, ".fleet-engine-dev", "dev-key.json"), "utf8");
    const again = await cli(app, ["dev-key", "--instance", "fleet-eu"]);
    expect(again.stdout).toContain("Kept the dev key");
    expect(readFileSync(path.join(app, ".fleet-engine-dev", "dev-key.json"), "utf8")).toBe(key);
  });

  it("refuses an app without the kit, saying how to install it", async () => {
    const app = mkdtempSync(path.join(tmpdir(), "no-kit-"));
    writeFileSync(
      path.join(app, "firebase.json"),
      JSON.stringify({ functions: { source: "functions" } }),
    );
    const result = await cli(app, ["doctor", "--project", P]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "install the kit (firebase functions:kits:install --package fleet-engine-firebase-tokens)",
    );
  });
});

describe("npx fleet-engine-firebase-tokens rules", () => {
  it("prints rules for the instance's own collections and field paths", async () => {
    const app = kitApp({
      "fleet-eu": {
        ".env":
          EUROPE_ENV +
          "TRIPS_COLLECTION=rides\nTRIP_CONSUMERS_FIELD=riderUid\nDRIVERS_COLLECTION=users\n",
      },
    });
    const result = await cli(app, ["rules", "--project", P]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^rules_version = '2';/);
    expect(result.stdout).toContain("match /rides/{tripId} {");
    expect(result.stdout).toContain("listsCaller(resource.data.get(['riderUid'], null))");
    expect(result.stdout).toContain("match /users/{uid} {");
    expect(result.stdout).toContain("Generated by `npx fleet-engine-firebase-tokens rules`");
    const blocks = await cli(app, ["rules", "--project", P, "--blocks"]);
    expect(blocks.stdout).not.toContain("rules_version");
    expect(blocks.stdout).toContain("match /rides/{tripId} {");
  });

  it("refuses a data model the function would refuse, naming the param", async () => {
    const app = kitApp({ "fleet-eu": { ".env": `${EUROPE_ENV}TRIP_STATUS_FIELD=a..b\n` } });
    const result = await cli(app, ["rules", "--project", P]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("TRIP_STATUS_FIELD");
  });
});
