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

/** The serviceAccountEmail firebase deploy would send to Cloud Functions for this param value. */
function deployedServiceAccount(value: string): unknown {
  const endpoint = (getFleetEngineToken as unknown as { __endpoint: unknown }).__endpoint;
  const wire = stackToWire({
    specVersion: "v1alpha1",
    requiredAPIs: [],
    params: [],
    endpoints: { getFleetEngineToken: endpoint },
  });
  const build = buildFromV1Alpha1(wire, "demo-p-1", "us-central1", "nodejs22");
  const params = {
    RUNTIME_SERVICE_ACCOUNT: new ParamValue(value, false, { string: true }),
    MAX_INSTANCES: new ParamValue("10", false, { number: true }),
  };
  const backend = toBackend(build, params);
  const [deployed] = Object.values(backend.endpoints["us-central1"] as Record<string, object>);
  const source = { storageSource: { bucket: "b", object: "o", generation: 1 } };
  return functionFromEndpoint({ ...deployed, source }).serviceConfig.serviceAccountEmail;
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
