// @ts-check
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CODEBASE, ROOT } from "../lib/paths.mjs";
import { getFleetEngineToken } from "../../functions/src/index.ts";

/**
 * Deploying this repository into a project that already has functions never plans their
 * deletion. Proved with firebase-tools' own deploy planning, the code `firebase deploy` runs
 * (deploy/functions/prepare.js and release/index.js): firebase.json's codebase config, the `--only`
 * filters, the callable's real manifest resolved with functions/.env like a deploy resolves it,
 * the project's existing functions read the way the CLI reads them from Cloud Functions, then
 * groupEndpointsByCodebase and createDeploymentPlan. These are internals of the pinned
 * firebase-tools, loaded by path because the package exports none of them.
 */

/** @type {(id: string) => any} */
const load = createRequire(import.meta.url);
const { normalizeAndValidate } = load("firebase-tools/lib/functions/projectConfig.js");
const helper = load("firebase-tools/lib/deploy/functions/functionsDeployHelper.js");
const backend = load("firebase-tools/lib/deploy/functions/backend.js");
const build = load("firebase-tools/lib/deploy/functions/build.js");
const planner = load("firebase-tools/lib/deploy/functions/release/planner.js");
const { buildFromV1Alpha1 } = load(
  "firebase-tools/lib/deploy/functions/runtimes/discovery/v1alpha1.js",
);
const { loadUserEnvs } = load("firebase-tools/lib/functions/env.js");
const { endpointFromFunction } = load("firebase-tools/lib/gcp/cloudfunctionsv2.js");
const { stackToWire } = load(
  path.join(
    path.dirname(path.dirname(createRequire(import.meta.url).resolve("firebase-functions"))),
    "runtime",
    "manifest.js",
  ),
);
const { declaredParams } = load("firebase-functions/params");

const PROJECT = "my-app-1234";
const FIREBASE_JSON = JSON.parse(readFileSync(path.join(ROOT, "firebase.json"), "utf8"));

/**
 * A function the project already has, as the Cloud Functions v2 API lists it; labels are what
 * firebase deploy wrote when it deployed it.
 * @param {string} id @param {string} region @param {string | undefined} codebase
 */
function existingFunction(id, region, codebase) {
  return endpointFromFunction({
    name: `projects/${PROJECT}/locations/${region}/functions/${id}`,
    state: "ACTIVE",
    labels: {
      "deployment-tool": "cli-firebase",
      "deployment-callable": "true",
      ...(codebase ? { "firebase-functions-codebase": codebase } : {}),
    },
    buildConfig: { runtime: "nodejs22", entryPoint: id, source: {} },
    serviceConfig: { service: `projects/${PROJECT}/locations/${region}/services/${id}` },
  });
}

/** The app's own functions: two in `default` (no codebase label), one in another codebase. */
const APP_FUNCTIONS = [
  existingFunction("api", "us-central1", undefined),
  existingFunction("onUserCreated", "europe-west1", undefined),
  existingFunction("chargeCard", "us-central1", "payments"),
];

/** @type {any[]} the callable's endpoints as `firebase deploy` resolves them */
let wantEndpoints = [];

beforeAll(async () => {
  const endpoint = /** @type {{ __endpoint: unknown }} */ (
    /** @type {unknown} */ (getFleetEngineToken)
  ).__endpoint;
  const wire = stackToWire({
    specVersion: "v1alpha1",
    requiredAPIs: [],
    params: declaredParams.map((/** @type {any} */ param) => param.toSpec()),
    endpoints: { getFleetEngineToken: endpoint },
  });
  const wantBuild = buildFromV1Alpha1(wire, PROJECT, "us-central1", "nodejs22");
  const userEnvs = loadUserEnvs({
    functionsSource: path.join(ROOT, "functions"),
    projectId: PROJECT,
  });
  const { backend: resolved } = await build.resolveBackend({
    build: wantBuild,
    firebaseConfig: { projectId: PROJECT },
    userEnvs,
    nonInteractive: true,
    isEmulator: false,
  });
  wantEndpoints = backend.allEndpoints(resolved);
});

/**
 * The plan of `firebase deploy --only <only>` (or of a bare `firebase deploy` when only is
 * undefined) for a firebase.json `functions` config, against a project that already has
 * `existing`: the CLI's prepare (codebases, grouping) and release (planning) steps.
 * @param {unknown} functionsConfig @param {string | undefined} only @param {unknown[]} existing
 */
function deployPlan(functionsConfig, only, existing) {
  const config = normalizeAndValidate(functionsConfig);
  const filters = helper.getEndpointFilters({ only }, config);
  /** @type {Record<string, unknown>} */
  const wantBackends = {};
  for (const codebase of helper.targetCodebases(config, filters)) {
    const endpoints = wantEndpoints.map((/** @type {object} */ e) => ({ ...e, codebase }));
    wantBackends[codebase] = backend.of(...endpoints);
  }
  const haveBackends = helper.groupEndpointsByCodebase(wantBackends, existing);
  /** @type {Record<string, { endpointsToCreate: any[], endpointsToUpdate: any[], endpointsToDelete: any[] }>} */
  let plan = {};
  for (const [codebase, wantBackend] of Object.entries(wantBackends)) {
    plan = {
      ...plan,
      ...planner.createDeploymentPlan({
        codebase,
        wantBackend,
        haveBackend: haveBackends[codebase] ?? backend.empty(),
        filters,
        deleteAll: false,
      }),
    };
  }
  const ids = (
    /** @type {"endpointsToCreate" | "endpointsToUpdate" | "endpointsToDelete"} */ key,
  ) =>
    Object.values(plan)
      .flatMap((changes) => changes[key])
      .map((e) => (key === "endpointsToUpdate" ? e.endpoint.id : e.id))
      .sort();
  return {
    create: ids("endpointsToCreate"),
    update: ids("endpointsToUpdate"),
    delete: ids("endpointsToDelete"),
  };
}

const ONLY = `functions:${CODEBASE}`;

describe(`firebase.json deploys the function in its own codebase, ${CODEBASE}`, () => {
  it("names the codebase in firebase.json", () => {
    expect(FIREBASE_JSON.functions).toHaveLength(1);
    expect(FIREBASE_JSON.functions[0].codebase).toBe(CODEBASE);
  });

  it("resolves the real callable with functions/.env, as a deploy does", () => {
    expect(wantEndpoints.map((/** @type {any} */ e) => [e.id, e.region, e.platform])).toEqual([
      ["getFleetEngineToken", "us-central1", "gcfv2"],
    ]);
  });

  it(`\`--only ${ONLY}\` creates the callable and plans no deletion of the app's functions`, () => {
    expect(deployPlan(FIREBASE_JSON.functions, ONLY, APP_FUNCTIONS)).toEqual({
      create: ["getFleetEngineToken"],
      update: [],
      delete: [],
    });
  });

  it("a bare `--only functions` or `firebase deploy` deletes none of them either", () => {
    for (const only of ["functions", undefined]) {
      expect(deployPlan(FIREBASE_JSON.functions, only, APP_FUNCTIONS).delete).toEqual([]);
    }
  });

  it("a redeploy updates the callable in place, still touching nothing else", () => {
    const deployed = existingFunction("getFleetEngineToken", "us-central1", CODEBASE);
    expect(deployPlan(FIREBASE_JSON.functions, ONLY, [...APP_FUNCTIONS, deployed])).toEqual({
      create: [],
      update: ["getFleetEngineToken"],
      delete: [],
    });
  });

  it("`functions:delete getFleetEngineToken --region R` deletes the callable alone", () => {
    // The steps of firebase-tools' functions:delete command: name filters, one region, deleteAll.
    const deployed = existingFunction("getFleetEngineToken", "europe-west1", CODEBASE);
    const existing = backend.of(...APP_FUNCTIONS, deployed);
    existing.endpoints = { "europe-west1": existing.endpoints["europe-west1"] };
    const plan = planner.createDeploymentPlan({
      wantBackend: backend.empty(),
      haveBackend: existing,
      codebase: "",
      filters: [{ idChunks: "getFleetEngineToken".split(/[-.]/) }],
      deleteAll: true,
    });
    const deleted = Object.values(plan).flatMap((/** @type {any} */ c) => c.endpointsToDelete);
    expect(deleted.map((/** @type {any} */ e) => `${e.region}/${e.id}`)).toEqual([
      "europe-west1/getFleetEngineToken",
    ]);
  });

  it("control: in codebase `default`, the same planner deletes the app's default functions", () => {
    const asDefault = [{ ...FIREBASE_JSON.functions[0], codebase: "default" }];
    expect(deployPlan(asDefault, "functions", APP_FUNCTIONS).delete).toEqual([
      "api",
      "onUserCreated",
    ]);
  });
});
