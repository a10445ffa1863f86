import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkRuntimeRoles, checkSignerRoles } from "../src/doctor/account-checks.js";
import { Checklist, type CheckResult } from "../src/doctor/checklist.js";
import { paramNames } from "../src/shared/config-from-params.js";
import { checkEnvKeys } from "../src/doctor/env-keys.js";
import { EffectivePolicy } from "../src/doctor/effective-policy.js";
import { modelParamProblems } from "../src/doctor/model-params.js";
import { checkSignerSharing } from "../src/doctor/signer-sharing.js";
import { callableUrl, deleteCommand, deployCommand } from "../src/shared/deployment.js";
import { readParamsFiles, type DeployTarget, type ParamsFile } from "../src/shared/env-file.js";
import { TOKEN_TYPES, type TokenType } from "../src/shared/functions-code.js";
import type { IamBinding } from "../src/shared/iam-policy.js";
import { ROOT, repositoryInstallation } from "./support/repository.js";

const P = "demo-checks-1";
const SA = (id: string): string => `${id}@${P}.iam.gserviceaccount.com`;
const RUNTIME = SA("fe-token-service");
const DRIVER = SA("fe-driver");
const DRIVER_ROLE = "roles/fleetengine.driverSdkUser";
const TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator";

function results(run: (checklist: Checklist) => void): CheckResult[] {
  const checklist = new Checklist();
  run(checklist);
  return checklist.results;
}

function only(list: CheckResult[], title: RegExp): CheckResult {
  const found = list.filter((result) => title.test(result.title));
  expect(found).toHaveLength(1);
  return found[0];
}

function project(bindings: IamBinding[], more: Partial<EffectivePolicy> = {}): EffectivePolicy {
  return new EffectivePolicy(
    [{ name: `project ${P}`, policy: { bindings } }, ...(more.sources ?? [])],
    more.unreadable ?? [],
  );
}

const member = (email: string): string => `serviceAccount:${email}`;
const NEEDS = { consumeAppCheckToken: false, checkRevokedTokens: false };
const READS_FIRESTORE: IamBinding = { role: "roles/datastore.viewer", members: [member(RUNTIME)] };

describe("data-model, region and token-type params", () => {
  it.each([
    ["DRIVER_VEHICLE_FIELD", "", /must not be empty/],
    ["DRIVER_DELIVERY_VEHICLE_FIELD", "fleet..van", /no leading, trailing or double dot/],
    ["DRIVER_ACTIVE_FIELD", ".active", /no leading, trailing or double dot/],
    ["TRIP_CONSUMERS_FIELD", "riders[0]", /field name Firestore or the rules cannot use/],
    ["TRIP_STATUS_FIELD", "__name__", /reserved field name/],
    ["SHIPMENT_CONSUMERS_FIELD", "a/b", /cannot use/],
    ["TASK_VEHICLE_FIELD", "route..vehicle", /no leading, trailing or double dot/],
    ["TASK_CONSUMERS_FIELD", "watchers[0]", /cannot use/],
    ["TASKS_COLLECTION", "tasks/stops", /must be a collection ID/],
    ["DRIVERS_COLLECTION", "__drivers__", /must be a collection ID/],
    ["REGION", "us-central1,europe-west1", /must name one region/],
    ["REGION", "Europe West", /must be a region name/],
    ["ENABLED_TOKEN_TYPES", "driver,admin", /lists unknown token types admin/],
    ["ENABLED_TOKEN_TYPES", " , ", /must list at least one of/],
  ])("%s=%j is a FAIL naming the param, its value and its file", (name, value, problem) => {
    const dir = mkdtempSync(path.join(tmpdir(), "fe-model-"));
    writeFileSync(path.join(dir, ".env"), `${name}=ok-looking-default\n`);
    writeFileSync(path.join(dir, `.env.${P}`), `${name}="${value}"\n`);
    const [failure, ...rest] = modelParamProblems(
      { [name]: value },
      readParamsFiles(dir, P),
      "REGION",
    );
    expect(rest).toEqual([]);
    expect(failure?.status).toBe("fail");
    expect(failure?.title).toBe(`param ${name}`);
    expect(failure?.detail).toContain(`${name}=${JSON.stringify(value)} in ${dir}/.env.${P}`);
    expect(failure?.detail).toMatch(problem);
    expect(failure?.advice?.join(" ")).toContain("failed-precondition");
  });

  it("accepts nested field paths, one region and a subset of the types", () => {
    expect(
      modelParamProblems(
        {
          DRIVER_VEHICLE_FIELD: "fleet.vehicleId",
          TASKS_COLLECTION: "stops",
          TASK_VEHICLE_FIELD: "route.deliveryVehicleId",
          REGION: "europe-west1",
          ENABLED_TOKEN_TYPES: "consumer, driver, trustedDeliveryDriver",
        },
        [],
        "REGION",
      ),
    ).toEqual([]);
  });
});

describe("keys of the params files", () => {
  function files(content: Record<string, string>, target: DeployTarget | string = P) {
    const dir = mkdtempSync(path.join(tmpdir(), "fe-envkeys-"));
    for (const [name, text] of Object.entries(content)) writeFileSync(path.join(dir, name), text);
    return { dir, list: readParamsFiles(dir, target) };
  }
  const check = (list: ParamsFile[]) =>
    results((checklist) => checkEnvKeys(checklist, list, paramNames(repositoryInstallation())));
  const TITLE = "no setting that redirects credentials, TLS or code";

  it("FAILs for emulator-only variables in .env and .env.<project>, which the deploy ships", () => {
    const { dir, list } = files({
      ".env": "TOKEN_TTL_SECONDS=3600\nFUNCTIONS_EMULATOR=true\n",
      [`.env.${P}`]: "FLEET_ENGINE_DEV_KEY_FILE=.dev/key.json\n",
      ".env.other-project": "FUNCTIONS_EMULATOR=true\n",
    });
    const list2 = check(list);
    expect(list2.map((r) => [r.status, r.title])).toEqual([
      ["fail", `${TITLE} in ${dir}/.env`],
      ["fail", `${TITLE} in ${dir}/.env.${P}`],
    ]);
    expect(list2[0]?.detail).toContain("it sets FUNCTIONS_EMULATOR");
    expect(list2[1]?.advice?.join(" ")).toContain("must never");
  });

  // The review's list: keys firebase-tools accepts in a deployable env file, each of which would
  // change where a deployed function's credentials, trust or code come from.
  it.each([
    ["FIRESTORE_EMULATOR_HOST", "127.0.0.1:8080"],
    ["GOOGLE_APPLICATION_CREDENTIALS", "/tmp/key.json"],
    ["GCE_METADATA_HOST", "metadata.attacker.example"],
    ["GCE_METADATA_IP", "203.0.113.7"],
    ["METADATA_SERVER_DETECTION", "none"],
    ["NODE_TLS_REJECT_UNAUTHORIZED", "0"],
    ["NODE_OPTIONS", "--require /tmp/x.js"],
    ["NODE_EXTRA_CA_CERTS", "/tmp/ca.pem"],
    ["HTTPS_PROXY", "http://proxy.example:3128"],
    ["HTTP_PROXY", "http://proxy.example:3128"],
    ["GOOGLE_SDK_NODE_LOGGING", "*"],
  ])("FAILs on %s=%s in every deployable file", (key, value) => {
    const line = `${key}=${value}\n`;
    for (const name of [".env", `.env.${P}`]) {
      const { list } = files({ [name]: line });
      // firebase-tools accepts the key: the deploy would ship it.
      expect(list[0]?.values).toEqual({ [key]: value });
      const [failure, ...rest] = check(list);
      expect(rest).toEqual([]);
      expect(failure).toMatchObject({ status: "fail" });
      expect(failure?.detail).toContain(`it sets ${key}`);
      expect(failure?.advice?.[0]).toMatch(new RegExp(`^${key}: `));
    }
    // ... and in .env.<alias>, which a deploy invoked with the alias reads.
    const alias = files({ ".env.prod": line }, { projectId: P, alias: "prod", aliases: ["prod"] });
    expect(check(alias.list)).toMatchObject([{ status: "fail" }]);
    const other = files(
      { ".env.prod": line },
      { projectId: P, alias: undefined, aliases: ["prod"] },
    );
    expect(check(other.list)).toMatchObject([
      {
        status: "fail",
        detail: expect.stringContaining("names the project by this alias") as string,
      },
    ]);
  });

  it("only WARNs for .env.local, which the deploy neither reads nor uploads", () => {
    const { list } = files({
      ".env": "TOKEN_TTL_SECONDS=1\n",
      ".env.local": "FLEET_ENGINE_DEV_KEY_FILE=k.json\nNODE_OPTIONS=--inspect\n",
    });
    const [warning, ...rest] = check(list);
    expect(rest).toEqual([]);
    expect(warning?.status).toBe("warn");
    expect(warning?.detail).toContain("it sets FLEET_ENGINE_DEV_KEY_FILE, NODE_OPTIONS");
    expect(warning?.detail).toContain("only the emulator reads this file");
  });

  it("WARNs on a key that is neither a param nor a known dev-only variable, guessing typos", () => {
    const { dir, list } = files({
      ".env": "TOKEN_TTL_SECONDS=3600\nFIRESTORE_EMULATOR_JAR=/opt/firestore.jar\n",
      [`.env.${P}`]: "TOKEN_TTL_SECOND=600\nMY_APP_FLAG=1\n",
    });
    expect(check(list)).toEqual([
      {
        status: "warn",
        title: `keys that are not params in ${dir}/.env.${P}`,
        detail: expect.stringMatching(/^TOKEN_TTL_SECOND, MY_APP_FLAG: not a param/) as string,
        advice: [
          "TOKEN_TTL_SECOND: did you mean TOKEN_TTL_SECONDS?",
          expect.stringContaining("README") as string,
        ],
      },
    ]);
  });

  it("PASSes when every key is a param", () => {
    const { list } = files({
      ".env": "TOKEN_TTL_SECONDS=1\n",
      [`.env.${P}`]: "REGION=europe-west1\n",
    });
    const [pass, ...rest] = check(list);
    expect(rest).toEqual([]);
    expect(pass).toMatchObject({ status: "pass", detail: `none in .env, .env.${P}` });
  });
});

describe("shared signing accounts", () => {
  const none = Object.fromEntries(TOKEN_TYPES.map((type) => [type, undefined])) as Record<
    TokenType,
    string | undefined
  >;
  const input = {
    project: P,
    enabled: TOKEN_TYPES,
    signerAccounts: none,
    runtimeAccount: RUNTIME,
    allowSharedSigner: false,
  };

  it("FAILs, naming the types, the account and why, when empty params leave all to the runtime account", () => {
    const [failure] = results((checklist) => checkSignerSharing(checklist, input));
    expect(failure?.status).toBe("fail");
    expect(failure?.title).toBe(
      `shared signing account: ${TOKEN_TYPES.join(", ")} tokens are all signed by ${RUNTIME}`,
    );
    expect(failure?.detail).toContain(
      `a consumer token would be signed by an account holding ${DRIVER_ROLE}`,
    );
    expect(failure?.advice?.join("\n")).toContain("--allow-shared-signer");
  });

  it("FAILs for two params naming one account, and only among enabled types", () => {
    const signers = { ...none, driver: DRIVER, deliveryDriver: DRIVER, consumer: DRIVER };
    const list = results((checklist) =>
      checkSignerSharing(checklist, {
        ...input,
        enabled: ["driver", "deliveryDriver", "fleetReader"],
        signerAccounts: signers,
        runtimeAccount: undefined,
      }),
    );
    expect(list.map((r) => [r.status, r.title])).toEqual([
      ["fail", `shared signing account: driver, deliveryDriver tokens are all signed by ${DRIVER}`],
    ]);
  });

  it("FAILs for a trusted and an untrusted delivery driver signed by one account", () => {
    const delivery = SA("fe-delivery-driver");
    const list = results((checklist) =>
      checkSignerSharing(checklist, {
        ...input,
        enabled: ["deliveryDriver", "trustedDeliveryDriver"],
        signerAccounts: { ...none, deliveryDriver: delivery, trustedDeliveryDriver: delivery },
        runtimeAccount: undefined,
      }),
    );
    expect(list.map((r) => [r.status, r.title])).toEqual([
      [
        "fail",
        `shared signing account: deliveryDriver, trustedDeliveryDriver tokens are all signed by ${delivery}`,
      ],
    ]);
    // Every untrusted driver's token would carry the trusted role: task outcomes included.
    expect(list[0]?.detail).toContain("roles/fleetengine.deliveryTrustedDriver");
  });

  it("takes a param naming the Compute Engine default for the runtime account it is", () => {
    const compute = "123456789012-compute@developer.gserviceaccount.com";
    const [failure] = results((checklist) =>
      checkSignerSharing(checklist, {
        ...input,
        enabled: ["driver", "consumer"],
        signerAccounts: { ...none, driver: compute },
        runtimeAccount: undefined,
      }),
    );
    expect(failure?.status).toBe("fail");
    expect(failure?.title).toContain(
      "driver, consumer tokens are all signed by the runtime account",
    );
  });

  it("WARNs instead with --allow-shared-signer, and PASSes with one account per type", () => {
    const [warning] = results((checklist) =>
      checkSignerSharing(checklist, { ...input, allowSharedSigner: true }),
    );
    expect(warning?.status).toBe("warn");
    expect(warning?.detail).toContain("allowed for a first try by --allow-shared-signer");

    const own = Object.fromEntries(
      TOKEN_TYPES.map((type) => [type, SA(`fe-${type.toLowerCase()}`)]),
    );
    const [pass] = results((checklist) =>
      checkSignerSharing(checklist, {
        ...input,
        signerAccounts: own as Record<TokenType, string>,
      }),
    );
    expect(pass?.status).toBe("pass");
  });
});

describe("Owner and Editor", () => {
  it("on a signing account: FAIL, since every token it signs carries the role", () => {
    const list = results((checklist) =>
      checkSignerRoles(
        checklist,
        project([
          { role: DRIVER_ROLE, members: [member(DRIVER)] },
          { role: "roles/editor", members: [member(DRIVER)] },
        ]),
        DRIVER,
        [DRIVER_ROLE],
        P,
      ),
    );
    const failure = only(list, /holds only/);
    expect(failure.status).toBe("fail");
    expect(failure.detail).toContain("it also holds roles/editor");
    expect(failure.advice).toEqual([
      `gcloud projects remove-iam-policy-binding ${P} --member=serviceAccount:${DRIVER} --role=roles/editor`,
    ]);
  });

  it("on the runtime account: Owner FAILs, Editor WARNs", () => {
    const check = (role: string) =>
      only(
        results((checklist) =>
          checkRuntimeRoles(
            checklist,
            project([READS_FIRESTORE, { role, members: [member(RUNTIME)] }]),
            RUNTIME,
            P,
            NEEDS,
          ),
        ),
        /neither Owner nor Editor/,
      );
    expect(check("roles/owner")).toMatchObject({ status: "fail" });
    expect(check("roles/owner").detail).toContain("could change the project's IAM policy");
    expect(check("roles/editor")).toMatchObject({ status: "warn" });
    expect(check("roles/datastore.user")).toMatchObject({ status: "pass" });
  });
});

describe("grants doctor cannot evaluate", () => {
  const signerCheck = (policy: EffectivePolicy) =>
    results((checklist) => checkSignerRoles(checklist, policy, DRIVER, [DRIVER_ROLE], P));
  const driverRole = { role: DRIVER_ROLE, members: [member(DRIVER)] };

  it("a conditional binding of another Fleet Engine role: WARN not evaluated, not PASS", () => {
    const list = signerCheck(
      project([
        driverRole,
        {
          role: "roles/fleetengine.viewer",
          members: [member(DRIVER)],
          condition: { title: "until-2027", expression: "request.time < timestamp(...)" },
        },
      ]),
    );
    expect(list.map((r) => r.status)).toEqual(["warn"]);
    expect(list[0]?.detail).toBe(
      `not evaluated: roles/fleetengine.viewer under the condition "until-2027" on project ${P} (conditions are not evaluated)`,
    );
  });

  it("Editor granted to a group: WARN not evaluated", () => {
    const list = signerCheck(
      project([driverRole, { role: "roles/editor", members: ["group:devs@example.com"] }]),
    );
    expect(list.map((r) => r.status)).toEqual(["warn"]);
    expect(list[0]?.detail).toContain(
      "roles/editor to group:devs@example.com on project demo-checks-1, which may include this account",
    );
  });

  it("an ancestor whose policy is unreadable: WARN; a readable one counts like the project", () => {
    const unreadable = signerCheck(
      project([driverRole], { unreadable: ["organizations/42, whose IAM policy is not readable"] }),
    );
    expect(unreadable.map((r) => r.status)).toEqual(["warn"]);
    expect(unreadable[0]?.detail).toContain("anything inherited from organizations/42");

    const inherited = signerCheck(
      project([driverRole], {
        sources: [
          {
            name: "folders/7",
            policy: { bindings: [{ role: "roles/owner", members: [member(DRIVER)] }] },
          },
        ],
      }),
    );
    expect(inherited.map((r) => r.status)).toEqual(["fail"]);
    expect(inherited[0]?.advice).toEqual([
      "roles/owner is inherited from folders/7: remove it there (or ask its administrator)",
    ]);
  });

  it("project-wide Token Creator through a group or a condition: WARN not evaluated", () => {
    for (const binding of [
      { role: TOKEN_CREATOR, members: ["group:ops@example.com"] },
      {
        role: TOKEN_CREATOR,
        members: [member(RUNTIME)],
        condition: { title: "t", expression: "e" },
      },
    ]) {
      const result = only(
        results((checklist) =>
          checkRuntimeRoles(checklist, project([READS_FIRESTORE, binding]), RUNTIME, P, NEEDS),
        ),
        /project-wide Token Creator/,
      );
      expect(result.status).toBe("warn");
      expect(result.detail).toMatch(/^not evaluated: roles\/iam\.serviceAccountTokenCreator/);
    }
  });

  it("a policy without such grants still PASSes", () => {
    expect(signerCheck(project([driverRole])).map((r) => r.status)).toEqual(["pass"]);
  });
});

describe("where the function is deployed", () => {
  it("names the codebase of firebase.json and the callable's export, in a clone", async () => {
    const installation = repositoryInstallation();
    const firebaseJson = (await import(path.join(ROOT, "firebase.json"))) as {
      functions: { codebase: string }[];
    };
    expect(firebaseJson.functions.map((f) => f.codebase)).toEqual([installation.codebase]);
    const index = (await import("../../functions/src/index.js")) as Record<string, unknown>;
    expect(Object.keys(index)).toContain(installation.functionId);
    expect(installation).toMatchObject({
      kind: "codebase",
      codebase: "fleet-engine-tokens",
      functionId: "getFleetEngineToken",
      regionParam: "REGION",
      configDir: path.join(ROOT, "functions"),
    });
    expect(deployCommand(installation, P)).toBe(
      `npx firebase deploy --only functions:fleet-engine-tokens --project ${P}`,
    );
    expect(callableUrl(installation, "europe-west1", P)).toBe(
      `https://europe-west1-${P}.cloudfunctions.net/getFleetEngineToken`,
    );
    expect(deleteCommand(installation, "europe-west1", P)).toBe(
      `npx firebase functions:delete getFleetEngineToken --region europe-west1 --project ${P}`,
    );
  });
});
