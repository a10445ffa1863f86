import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { FIREBASE_15 } from "./kit-app.js";

/**
 * The parts of firebase-tools 15 that `functions:kits:install` and `firebase deploy` run, called
 * directly: the installer's discovery of a kit's params (what it prompts from), and the deploy's
 * prepare (codebases loaded from source with each instance's params) and planner. They are
 * internals, loaded by path (the package exports none of them), and typed here by what these
 * tests use of them.
 */

/** A param as the SDK hands it to the CLI (its wire spec). */
export interface WireParam {
  readonly name: string;
  readonly type: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly input?: {
    readonly select?: { readonly options: readonly { readonly value: unknown }[] };
    readonly multiSelect?: { readonly options: readonly { readonly value: string }[] };
    readonly text?: unknown;
  };
}

interface Endpoint {
  readonly id: string;
  readonly region: string;
  readonly codebase?: string;
}
type Backend = { readonly __backend: true };
interface Changeset {
  readonly endpointsToCreate: readonly Endpoint[];
  readonly endpointsToUpdate: readonly { readonly endpoint: Endpoint }[];
  readonly endpointsToDelete: readonly Endpoint[];
}
type Filters = unknown;

interface FirebaseTools15 {
  Config: new (src: unknown, options: { projectDir: string; cwd: string }) => unknown;
  discoverKitBuild(
    options: { projectId: string; config: { projectDir: string }; instanceId: string },
    source: string,
  ): Promise<{ params: WireParam[] }>;
  normalizeAndValidate(functions: unknown): unknown;
  getEndpointFilters(options: { only: string | undefined }, config: unknown): Filters;
  loadCodebases(
    config: unknown,
    options: unknown,
    firebaseConfig: unknown,
    runtimeConfig: unknown,
    filters: Filters,
  ): Promise<Record<string, unknown>>;
  configForCodebase(
    config: unknown,
    codebase: string,
  ): {
    source: string;
    kit?: string;
    instances?: Record<string, string>;
  };
  loadUserEnvs(options: {
    functionsSource: string;
    configDir?: string;
    projectId: string;
    projectDir: string;
  }): Record<string, string>;
  resolveBackend(options: {
    build: unknown;
    firebaseConfig: unknown;
    userEnvs: Record<string, string>;
    nonInteractive: boolean;
    isEmulator: boolean;
    resolveRegions: (build: unknown, paramValues: unknown) => Promise<void>;
  }): Promise<{ backend: Backend }>;
  resolveDefaultRegionsForBuild(build: unknown, have: Backend, paramValues: unknown): Promise<void>;
  allEndpoints(backend: Backend): Endpoint[];
  of(...endpoints: unknown[]): Backend;
  empty(): Backend;
  groupEndpointsByCodebase(
    wants: Record<string, Backend>,
    have: readonly unknown[],
  ): Record<string, Backend>;
  createDeploymentPlan(args: {
    codebase: string;
    wantBackend: Backend;
    haveBackend: Backend;
    filters: Filters;
    deleteAll: boolean;
    projectId: string;
  }): Promise<{ regionalChangesets: Record<string, Changeset> }>;
  endpointFromFunction(fn: unknown): unknown;
}

const load = createRequire(FIREBASE_15) as (id: string) => Record<string, unknown>;
const cli = {
  ...load("../config.js"),
  ...load("../functions/kits/install.js"),
  ...load("../functions/projectConfig.js"),
  ...load("../functions/env.js"),
  ...load("../deploy/functions/functionsDeployHelper.js"),
  ...load("../deploy/functions/prepare.js"),
  ...load("../deploy/functions/build.js"),
  ...load("../deploy/functions/backend.js"),
  ...load("../deploy/functions/release/planner.js"),
  ...load("../gcp/cloudfunctionsv2.js"),
} as unknown as FirebaseTools15;

/** The params the installer discovers in a kit instance's wrapper, in the order it asks. */
export async function discoverKitParams(options: {
  projectDir: string;
  projectId: string;
  instance: string;
  source: string;
}): Promise<WireParam[]> {
  const { params } = await cli.discoverKitBuild(
    {
      projectId: options.projectId,
      config: { projectDir: options.projectDir },
      instanceId: options.instance,
    },
    options.source,
  );
  return params;
}

/** A function the project already has, as the Cloud Functions v2 API lists it. */
export function existingFunction(
  project: string,
  id: string,
  region: string,
  codebase?: string,
): unknown {
  return cli.endpointFromFunction({
    name: `projects/${project}/locations/${region}/functions/${id}`,
    state: "ACTIVE",
    labels: {
      "deployment-tool": "cli-firebase",
      "deployment-callable": "true",
      ...(codebase === undefined ? {} : { "firebase-functions-codebase": codebase }),
    },
    buildConfig: { runtime: "nodejs22", entryPoint: id, source: {} },
    serviceConfig: { service: `projects/${project}/locations/${region}/services/${id}` },
  });
}

export interface DeployPlan {
  readonly codebases: readonly string[];
  readonly create: readonly string[];
  readonly update: readonly string[];
  readonly delete: readonly string[];
}

/**
 * What `firebase deploy --only <only>` (a bare deploy when undefined) would create, update and
 * delete (as `region/id`) in a project that has `have`: the CLI's prepare, with every codebase
 * loaded from its source and resolved with its own params files non-interactively, then its
 * planner.
 */
export async function planDeploy(options: {
  projectDir: string;
  projectId: string;
  only: string | undefined;
  have: readonly unknown[];
}): Promise<DeployPlan> {
  const { projectDir, projectId } = options;
  const src = JSON.parse(readFileSync(path.join(projectDir, "firebase.json"), "utf8")) as {
    functions: unknown;
  };
  const config = cli.normalizeAndValidate(src.functions);
  const filters = cli.getEndpointFilters({ only: options.only }, config);
  const firebaseConfig = { projectId };
  const builds = await cli.loadCodebases(
    config,
    { config: new cli.Config(src, { projectDir, cwd: projectDir }), project: projectId, projectId },
    firebaseConfig,
    { firebase: firebaseConfig },
    filters,
  );
  const wants: Record<string, Backend> = {};
  for (const [codebase, wantBuild] of Object.entries(builds)) {
    const entry = cli.configForCodebase(config, codebase);
    const instanceDir = entry.kit === undefined ? undefined : entry.instances?.[codebase];
    const userEnvs = cli.loadUserEnvs({
      functionsSource: path.join(projectDir, entry.source),
      ...(instanceDir === undefined ? {} : { configDir: path.join(projectDir, instanceDir) }),
      projectId,
      projectDir,
    });
    // The project's functions of this codebase decide the region of those that name none.
    const relevant = cli
      .allEndpoints(cli.of(...options.have))
      .filter((endpoint) => (endpoint.codebase ?? "default") === codebase);
    const { backend } = await cli.resolveBackend({
      build: wantBuild,
      firebaseConfig,
      userEnvs,
      nonInteractive: true,
      isEmulator: false,
      resolveRegions: (build, paramValues) =>
        cli.resolveDefaultRegionsForBuild(build, cli.of(...relevant), paramValues),
    });
    wants[codebase] = cli.of(
      ...cli.allEndpoints(backend).map((endpoint) => ({ ...endpoint, codebase })),
    );
  }
  const haves = cli.groupEndpointsByCodebase(wants, options.have);
  const changes: Changeset[] = [];
  for (const [codebase, wantBackend] of Object.entries(wants)) {
    const { regionalChangesets } = await cli.createDeploymentPlan({
      codebase,
      wantBackend,
      haveBackend: haves[codebase] ?? cli.empty(),
      filters,
      deleteAll: false,
      projectId,
    });
    changes.push(...Object.values(regionalChangesets));
  }
  const ids = (endpoints: readonly Endpoint[]) =>
    endpoints.map((endpoint) => `${endpoint.region}/${endpoint.id}`).sort();
  return {
    codebases: Object.keys(wants).sort(),
    create: ids(changes.flatMap((change) => change.endpointsToCreate)),
    update: ids(changes.flatMap((change) => change.endpointsToUpdate.map((u) => u.endpoint))),
    delete: ids(changes.flatMap((change) => change.endpointsToDelete)),
  };
}
