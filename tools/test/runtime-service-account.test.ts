import path from "node:path";
import { describe, expect, it } from "vitest";
import { getFleetEngineToken } from "../../functions/src/index.js";

/**
 * RUNTIME_SERVICE_ACCOUNT goes through the same code firebase deploy runs: firebase-functions'
 * manifest, then firebase-tools' build, param resolution and Cloud Functions v2 request. These
 * are internals of the pinned versions, loaded by path because neither package exports them.
 */
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access */
const functionsLib = path.dirname(path.dirname(require.resolve("firebase-functions")));
const { stackToWire } = require(path.join(functionsLib, "runtime", "manifest.js"));
const {
  buildFromV1Alpha1,
} = require("firebase-tools/lib/deploy/functions/runtimes/discovery/v1alpha1");
const { toBackend } = require("firebase-tools/lib/deploy/functions/build");
const { ParamValue } = require("firebase-tools/lib/deploy/functions/params");
const { functionFromEndpoint } = require("firebase-tools/lib/gcp/cloudfunctionsv2");

/** What firebase deploy would send to Cloud Functions for these param values. */
interface Deployed {
  readonly regions: string[];
  readonly serviceAccountEmail: unknown;
  readonly name: string;
}

function deployed(runtimeAccount: string, region = "us-central1"): Deployed {
  const endpoint = (getFleetEngineToken as unknown as { __endpoint: unknown }).__endpoint;
  const wire = stackToWire({
    specVersion: "v1alpha1",
    requiredAPIs: [],
    params: [],
    endpoints: { getFleetEngineToken: endpoint },
  });
  const build = buildFromV1Alpha1(wire, "demo-p-1", "us-central1", "nodejs22");
  const params = {
    RUNTIME_SERVICE_ACCOUNT: new ParamValue(runtimeAccount, false, { string: true }),
    REGION: new ParamValue(region, false, { string: true }),
    MAX_INSTANCES: new ParamValue("10", false, { number: true }),
  };
  const backend = toBackend(build, params);
  const regions = Object.keys(backend.endpoints as object);
  const [endpointInRegion] = Object.values(backend.endpoints[regions[0]] as Record<string, object>);
  const source = { storageSource: { bucket: "b", object: "o", generation: 1 } };
  const fn = functionFromEndpoint({ ...endpointInRegion, source });
  return { regions, serviceAccountEmail: fn.serviceConfig.serviceAccountEmail, name: fn.name };
}

function deployedServiceAccount(value: string): unknown {
  return deployed(value).serviceAccountEmail;
}
/* eslint-enable */

describe("RUNTIME_SERVICE_ACCOUNT (the callable's serviceAccount option)", () => {
  it("is a param expression in the manifest, resolved at deploy", () => {
    const endpoint = (
      getFleetEngineToken as unknown as { __endpoint: { serviceAccountEmail: unknown } }
    ).__endpoint;
    expect(String(endpoint.serviceAccountEmail)).toContain("RUNTIME_SERVICE_ACCOUNT");
  });

  it("empty (the default in functions/.env) sends no account: the platform default stays", () => {
    expect(deployedServiceAccount("")).toBeNull();
  });

  it("set by setup:iam, deploys the function as that account", () => {
    const account = "fe-token-service@demo-p-1.iam.gserviceaccount.com";
    expect(deployedServiceAccount(account)).toBe(account);
  });
});

describe("REGION (the callable's region option)", () => {
  it("deploys the function to the one region the param names", () => {
    const { regions, name } = deployed("", "europe-west1");
    expect(regions).toEqual(["europe-west1"]);
    expect(name).toBe("projects/demo-p-1/locations/europe-west1/functions/getFleetEngineToken");
  });
});
