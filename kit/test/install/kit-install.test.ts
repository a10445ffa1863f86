import { createPublicKey } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorClient, type SignedInUser } from "../support/emulator-client.js";
import { startFirestore, type FirestoreEmulator } from "../support/firestore.js";
import {
  APP_PROJECT,
  FIREBASE_15,
  KIT_PACKAGE,
  createApp,
  firebase,
  kitEntries,
  writeEnv,
  type App,
} from "../support/kit-app.js";
import {
  discoverKitParams,
  existingFunction,
  planDeploy,
  type WireParam,
} from "../support/firebase-tools-15.js";
import { packKit, repackAs } from "../support/pack.js";
import { run, startServer, waitFor, type Server } from "../support/processes.js";
import { publish, startRegistry, type LocalRegistry } from "../support/registry.js";

/**
 * The kit as a Firebase user installs it, with the Firebase CLI they have (firebase-tools 15):
 * the package packed as it would be published, published to a local npm registry, installed by
 * the CLI's own `functions:kits:install --package` into an app that already has a function of
 * its own, configured per instance, run in that app's emulators, and planned for deploy by the
 * CLI's own deploy planner. Two instances side by side: the app in Europe, and a second
 * one for deliveries with its own data model.
 */

const FUNCTION = "getFleetEngineToken";
const EUROPE = "europe-west1";

/** The example app: rides with one rider uid, users with a nested vehicle ID. */
const EUROPE_PARAMS = {
  FUNCTION_DEFAULT_REGION: EUROPE,
  TRIPS_COLLECTION: "rides",
  TRIP_CONSUMERS_FIELD: "riderUid",
  TRIP_STATUS_FIELD: "state",
  DRIVERS_COLLECTION: "users",
  DRIVER_VEHICLE_FIELD: "fleet.vehicleId",
  ENABLED_TOKEN_TYPES: "driver,consumer,fleetReader",
};

/** A second instance in us-central1 for deliveries: couriers and parcels. */
const DELIVERY_PARAMS = {
  FUNCTION_DEFAULT_REGION: "us-central1",
  DRIVERS_COLLECTION: "couriers",
  SHIPMENTS_COLLECTION: "parcels",
  SHIPMENT_CONSUMERS_FIELD: "recipientUid",
  ENABLED_TOKEN_TYPES: "deliveryDriver,deliveryConsumer",
};

let work: string;
let registry: LocalRegistry;
let app: App;
let firestore: FirestoreEmulator;
let emulators: Server;
let client: EmulatorClient;
let europe: string;
let delivery: string;
let installOutput: string;
let devKeyOutput: string;
let discoveredParams: WireParam[];

const configDir = (instance: string): string => {
  const entry = kitEntries(app).find((kit) => instance in kit.instances);
  if (entry === undefined) throw new Error(`no instance ${instance}`);
  return path.join(app.dir, entry.instances[instance] ?? "");
};
const source = (): string => path.join(app.dir, kitEntries(app)[0]?.source ?? "");
const kitFunction = (instance: string): string => `kit-${instance}-${FUNCTION}`;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "kit-install-"));
  const uplink = (await run("npm", ["config", "get", "registry"], { cwd: work, env: process.env }))
    .trim()
    .replace(/\/?$/, "/");
  registry = await startRegistry(path.join(work, "registry"), uplink);
  await publish(registry, await packKit(work));
  app = await createApp(path.join(work, "app"), registry.url);

  // The command a user runs, word for word; the project is .firebaserc's default, and a token
  // stands in for a signed-in user (installing calls no Google API).
  const install = [
    "functions:kits:install",
    "--package",
    KIT_PACKAGE,
    "--non-interactive",
    "--no-configure",
    "--force",
  ];
  const signedIn = { env: { ...app.env, FIREBASE_TOKEN: "offline" } };
  installOutput = await firebase(app, install, signedIn);
  europe = Object.keys(kitEntries(app)[0]?.instances ?? {})[0] ?? "";
  // The same package again: the CLI adds a second instance to the installed kit.
  await firebase(app, install, signedIn);
  delivery = Object.keys(kitEntries(app)[0]?.instances ?? {}).find((id) => id !== europe) ?? "";

  discoveredParams = await discoverKitParams({
    projectDir: app.dir,
    projectId: APP_PROJECT,
    instance: europe,
    source: source(),
  });
  const defaults = Object.fromEntries(
    discoveredParams
      .filter((param) => param.default !== undefined)
      .map((param) => [
        param.name,
        Array.isArray(param.default) ? param.default.join(",") : String(param.default),
      ]),
  );
  // .env: the app's choices; .env.<project>: every other param at the default the installer
  // offers (what an interactive install that accepts the defaults writes there).
  for (const [instance, params] of [
    [europe, EUROPE_PARAMS],
    [delivery, DELIVERY_PARAMS],
  ] as const) {
    writeEnv(path.join(configDir(instance), ".env"), params);
    writeEnv(
      path.join(configDir(instance), `.env.${APP_PROJECT}`),
      Object.fromEntries(Object.entries(defaults).filter(([name]) => !(name in params))),
    );
  }

  // The package's own command, run from the app folder the way its README says (npx fetches it
  // from the registry; a fresh npm cache, so that it is this build's package).
  devKeyOutput = "";
  for (const instance of [europe, delivery]) {
    devKeyOutput += await run("npx", ["--yes", KIT_PACKAGE, "dev-key", "--instance", instance], {
      cwd: app.dir,
      env: { ...app.env, npm_config_cache: path.join(work, "npx-cache") },
    });
  }

  // Firestore started directly (firebase-tools 15 refuses it on Java 17), named in .env.local.
  firestore = await startFirestore(APP_PROJECT, work);
  for (const instance of [europe, delivery]) {
    const local = path.join(configDir(instance), ".env.local");
    writeEnv(local, {
      ...Object.fromEntries(
        readFileSync(local, "utf8")
          .split("\n")
          .filter((line) => /^[A-Z_]+=/.test(line))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      ),
      FIRESTORE_EMULATOR_HOST: firestore.host,
    });
  }

  emulators = startServer(
    process.execPath,
    [FIREBASE_15, "emulators:start", "--only", "auth,functions", "--project", APP_PROJECT],
    { cwd: app.dir, env: app.env },
  );
  const functionsHost = `127.0.0.1:${app.ports.functions}`;
  client = new EmulatorClient(APP_PROJECT, {
    auth: `127.0.0.1:${app.ports.auth}`,
    firestore: firestore.host,
    functions: functionsHost,
  });
  await waitFor(
    "the app's emulators to serve both kit instances and the app's function",
    async () => {
      const served = await Promise.all(
        [
          `${EUROPE}/${kitFunction(europe)}`,
          `us-central1/${kitFunction(delivery)}`,
          "us-central1/hello",
        ].map(async (name) => {
          const response = await fetch(`http://${functionsHost}/${APP_PROJECT}/${name}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: "{}",
          });
          return response.status !== 404;
        }),
      );
      return served.every(Boolean);
    },
    300_000,
    () => emulators.output(),
  );
});

afterAll(async () => {
  await emulators?.stop();
  await firestore?.server.stop();
  await registry?.server.stop();
  // KIT_TEST_KEEP=1 keeps the app, the registry and the logs for a look after a failure.
  if (work !== undefined && process.env.KIT_TEST_KEEP !== "1") {
    rmSync(work, { recursive: true, force: true });
  }
});

describe("functions:kits:install --package fleet-engine-firebase-tokens", () => {
  it("installs from the registry without the warning for a kit without locked dependencies", () => {
    expect(installOutput).toMatch(/successfully installed/);
    expect(installOutput).not.toMatch(/does not have an npm-shrinkwrap\.json/);
    expect(installOutput).toContain(kitFunction(europe));
  });

  it("scaffolds a strict TypeScript wrapper that re-exports the package, beside the app's codebase", () => {
    expect(europe).toBe(KIT_PACKAGE);
    expect(delivery).toMatch(new RegExp(`^${KIT_PACKAGE}-[0-9a-f]{4}$`));
    const config = JSON.parse(readFileSync(path.join(app.dir, "firebase.json"), "utf8")) as {
      functions: Record<string, unknown>[];
    };
    expect(config.functions[0]).toEqual({ source: "functions", codebase: "default" });
    expect(config.functions[1]).toMatchObject({
      kit: KIT_PACKAGE,
      sourcePackage: { name: KIT_PACKAGE },
      source: `function-kits/${KIT_PACKAGE}/source`,
    });
    expect(readFileSync(path.join(source(), "src", "index.ts"), "utf8")).toContain(
      `export * from "${KIT_PACKAGE}";`,
    );
    expect(JSON.parse(readFileSync(path.join(source(), "tsconfig.json"), "utf8"))).toMatchObject({
      compilerOptions: { strict: true },
    });
    // tsc compiled it against the package's declarations.
    expect(existsSync(path.join(source(), "lib", "index.js"))).toBe(true);
  });

  it("installs firebase-functions and firebase-admin once, the app's copies, from the peer ranges", () => {
    const wrapper = JSON.parse(readFileSync(path.join(source(), "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(wrapper.dependencies).toMatchObject({
      "firebase-functions": "^7.4.0",
      "firebase-admin": "^13.10.0",
      [KIT_PACKAGE]: "^0.1.0",
    });
    // One copy of each SDK the CLI and the function share: a nested second firebase-functions
    // would keep the kit's params from the CLI. (google-auth-library is the kit's own dependency,
    // at the version its npm-shrinkwrap.json locks.)
    const nested = path.join(source(), "node_modules", KIT_PACKAGE, "node_modules");
    for (const sdk of ["firebase-functions", "firebase-admin"]) {
      expect(existsSync(path.join(nested, sdk)), sdk).toBe(false);
      expect(existsSync(path.join(source(), "node_modules", sdk)), sdk).toBe(true);
    }
    const kitAuth = [
      path.join(nested, "google-auth-library"),
      path.join(source(), "node_modules", "google-auth-library"),
    ].find((dir) => existsSync(dir));
    const locked = JSON.parse(
      readFileSync(path.join(source(), "node_modules", KIT_PACKAGE, "npm-shrinkwrap.json"), "utf8"),
    ) as {
      packages: Record<string, { version?: string }>;
    };
    expect(
      (
        JSON.parse(readFileSync(path.join(kitAuth ?? "", "package.json"), "utf8")) as {
          version: string;
        }
      ).version,
    ).toBe(locked.packages["node_modules/google-auth-library"]?.version);
  });

  it("asks one region question, with the kit's select, and explains every param", () => {
    const names = discoveredParams.map((param) => param.name);
    expect(names[0]).toBe("FUNCTION_DEFAULT_REGION");
    expect(names[1]).toBe("ENABLED_TOKEN_TYPES");
    expect(names).not.toContain("REGION");
    expect(new Set(names).size).toBe(names.length);
    const region = discoveredParams[0];
    expect(region?.description).toMatch(/getFleetEngineToken/);
    expect(region?.input?.select?.options.map((option) => option.value)).toContain(EUROPE);
    for (const param of discoveredParams) {
      expect(param.description?.length ?? 0, param.name).toBeGreaterThan(30);
      expect(param.input, param.name).toBeDefined();
    }
    expect(discoveredParams[1]?.type).toBe("list");
    // Seven types offered; the opt-in trustedDeliveryDriver is not preselected.
    const types = discoveredParams[1]?.input?.multiSelect?.options.map((option) => option.value);
    expect(types).toHaveLength(7);
    expect(types).toContain("trustedDeliveryDriver");
    expect(discoveredParams[1]?.default).toHaveLength(6);
    expect(discoveredParams[1]?.default).not.toContain("trustedDeliveryDriver");
    // The tasks collection, its field paths and the trusted driver's signer are asked for too.
    for (const name of [
      "TASKS_COLLECTION",
      "TASK_VEHICLE_FIELD",
      "TASK_CONSUMERS_FIELD",
      "TRUSTED_DELIVERY_DRIVER_SIGNER_ACCOUNT",
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe("local development in the app", () => {
  it("`npx fleet-engine-firebase-tokens dev-key` names an absolute key file in each .env.local", () => {
    expect(devKeyOutput).toMatch(/Created the dev key/);
    for (const instance of [europe, delivery]) {
      const local = readFileSync(path.join(configDir(instance), ".env.local"), "utf8");
      const file = /^FLEET_ENGINE_DEV_KEY_FILE=(.+)$/m.exec(local)?.[1] ?? "";
      expect(path.isAbsolute(file)).toBe(true);
      expect(file).toBe(path.join(app.dir, ".fleet-engine-dev", "dev-key.json"));
      expect(statSync(file).mode & 0o077).toBe(0);
      expect(local).toMatch(new RegExp(`^FIRESTORE_EMULATOR_HOST=${firestore.host}$`, "m"));
    }
    expect(readFileSync(path.join(app.dir, ".fleet-engine-dev", ".gitignore"), "utf8")).toMatch(
      /^\*$/m,
    );
  });
});

describe("the package's command line, from the app folder", () => {
  it("`npx fleet-engine-firebase-tokens setup-iam` plans the instance's accounts, no clone needed", async () => {
    const plan = await run(
      "npx",
      ["--yes", KIT_PACKAGE, "setup-iam", "--project", APP_PROJECT, "--instance", europe],
      { cwd: app.dir, env: { ...app.env, npm_config_cache: path.join(work, "npx-cache") } },
    );
    // Only the instance's enabled types (driver, consumer, fleetReader) get a signing account.
    expect(plan).toMatch(/gcloud iam service-accounts create fe-driver /);
    expect(plan).toMatch(/gcloud iam service-accounts create fe-fleet-reader /);
    expect(plan).not.toMatch(/fe-delivery-driver/);
    expect(plan).toContain(
      path.join("function-kits", KIT_PACKAGE, `config-${europe}`, `.env.${APP_PROJECT}`),
    );
  });
});

describe("the app's emulators serve the kit instances beside the app's own function", () => {
  let rider: SignedInUser;
  let driver: SignedInUser;
  let operator: SignedInUser;
  let courier: SignedInUser;
  let recipient: SignedInUser;

  beforeAll(async () => {
    rider = await client.createUser("rider@kit.test");
    driver = await client.createUser("driver@kit.test");
    operator = await client.createUser("operator@kit.test", { fleetReader: true });
    courier = await client.createUser("courier@kit.test");
    recipient = await client.createUser("recipient@kit.test");
    await client.setDocument("rides/ride-1", { riderUid: rider.uid, state: "ENROUTE_TO_PICKUP" });
    await client.setDocument("rides/ride-2", { riderUid: "someone-else", state: "NEW" });
    await client.setDocument(`users/${driver.uid}`, { fleet: { vehicleId: "vehicle-7" } });
    await client.setDocument(`couriers/${courier.uid}`, { deliveryVehicleId: "van-3" });
    await client.setDocument("parcels/parcel-1", { recipientUid: recipient.uid });
  });

  const devKey = () =>
    JSON.parse(readFileSync(path.join(app.dir, ".fleet-engine-dev", "dev-key.json"), "utf8")) as {
      client_email: string;
      private_key: string;
      private_key_id: string;
    };

  async function expectToken(
    answer: Awaited<ReturnType<EmulatorClient["call"]>>,
    authorization: Record<string, string>,
  ): Promise<void> {
    expect(answer.status, JSON.stringify(answer.error)).toBe(200);
    const key = devKey();
    const { payload, protectedHeader } = await jwtVerify(
      String(answer.result?.token),
      createPublicKey(key.private_key),
      {
        algorithms: ["RS256"],
        audience: "https://fleetengine.googleapis.com/",
        issuer: key.client_email,
      },
    );
    expect(protectedHeader.kid).toBe(key.private_key_id);
    expect(payload.authorization).toEqual(authorization);
  }

  it("gives the rider a consumer token for their ride, signed with the instance's dev key", async () => {
    const answer = await client.call(EUROPE, kitFunction(europe), rider, {
      type: "consumer",
      tripId: "ride-1",
    });
    await expectToken(answer, { tripid: "ride-1" });
  });

  it("refuses someone else's ride", async () => {
    const answer = await client.call(EUROPE, kitFunction(europe), rider, {
      type: "consumer",
      tripId: "ride-2",
    });
    expect(answer.status).toBe(403);
    expect(answer.error?.status).toBe("PERMISSION_DENIED");
  });

  it("gives the driver a driver token and the operator a fleetReader token", async () => {
    await expectToken(await client.call(EUROPE, kitFunction(europe), driver, { type: "driver" }), {
      vehicleid: "vehicle-7",
    });
    await expectToken(
      await client.call(EUROPE, kitFunction(europe), operator, { type: "fleetReader" }),
      { vehicleid: "*", tripid: "*" },
    );
  });

  it.each(["deliveryDriver", "deliveryConsumer", "deliveryFleetReader"])(
    "refuses %s, which the instance does not enable",
    async (type) => {
      const data = type === "deliveryConsumer" ? { type, trackingId: "parcel-1" } : { type };
      const answer = await client.call(EUROPE, kitFunction(europe), operator, data);
      expect(answer.status).toBe(403);
      expect(answer.error?.status).toBe("PERMISSION_DENIED");
    },
  );

  it("serves the instance in its region only", async () => {
    const elsewhere = await client.call("us-central1", kitFunction(europe), rider, {
      type: "consumer",
      tripId: "ride-1",
    });
    expect(elsewhere.status).toBe(404);
  });

  it("runs a second instance side by side, with its own region, data model and types", async () => {
    await expectToken(
      await client.call("us-central1", kitFunction(delivery), courier, { type: "deliveryDriver" }),
      { deliveryvehicleid: "van-3" },
    );
    await expectToken(
      await client.call("us-central1", kitFunction(delivery), recipient, {
        type: "deliveryConsumer",
        trackingId: "parcel-1",
      }),
      { trackingid: "parcel-1" },
    );
    // The Europe instance's types and data are not this one's.
    const rides = await client.call("us-central1", kitFunction(delivery), rider, {
      type: "consumer",
      tripId: "ride-1",
    });
    expect(rides.status).toBe(403);
  });

  it("still serves the app's own function", async () => {
    const answer = await client.call("us-central1", "hello", rider, {});
    expect(answer).toEqual({ status: 200, result: { hello: rider.uid } });
  });
});

describe("firebase deploy, planned by firebase-tools 15's own deploy planner", () => {
  /** The app's own functions, deployed before the kit came: `default`, and another codebase. */
  const APP_FUNCTIONS = () => [
    existingFunction(APP_PROJECT, "hello", "us-central1"),
    existingFunction(APP_PROJECT, "chargeCard", "europe-west1", "payments"),
  ];
  const plan = (only: string | undefined, have: unknown[]) =>
    planDeploy({ projectDir: app.dir, projectId: APP_PROJECT, only, have });

  it("`--only functions:<instance>` deploys that instance alone and deletes none of the app's functions", async () => {
    expect(await plan(`functions:${europe}`, APP_FUNCTIONS())).toEqual({
      codebases: [europe],
      create: [`${EUROPE}/${kitFunction(europe)}`],
      update: [],
      delete: [],
    });
  });

  it("a bare `firebase deploy --only functions` deploys every codebase and deletes nothing", async () => {
    expect(await plan("functions", APP_FUNCTIONS())).toEqual({
      codebases: ["default", delivery, europe].sort(),
      create: [`${EUROPE}/${kitFunction(europe)}`, `us-central1/${kitFunction(delivery)}`].sort(),
      update: ["us-central1/hello"],
      delete: [],
    });
  });

  it("a redeploy of the instance updates it in place", async () => {
    const deployed = existingFunction(APP_PROJECT, kitFunction(europe), EUROPE, europe);
    expect(await plan(`functions:${europe}`, [...APP_FUNCTIONS(), deployed])).toMatchObject({
      create: [],
      update: [`${EUROPE}/${kitFunction(europe)}`],
      delete: [],
    });
  });
});

describe("upgrading the kit, as its README says", () => {
  it("`npm install fleet-engine-firebase-tokens@latest --prefix <wrapper>` takes the new version", async () => {
    await publish(registry, await repackAs(work, "0.1.1"));
    const wrapper = path.relative(app.dir, source());
    await run("npm", ["install", `${KIT_PACKAGE}@latest`, "--prefix", wrapper], {
      cwd: app.dir,
      env: app.env,
    });
    // firebase.json's predeploy hook for the kit, as the installer wrote it.
    await run("npm", ["--prefix", wrapper, "run", "build"], { cwd: app.dir, env: app.env });
    const installed = JSON.parse(
      readFileSync(path.join(source(), "node_modules", KIT_PACKAGE, "package.json"), "utf8"),
    ) as { version: string };
    expect(installed.version).toBe("0.1.1");
    const manifest = JSON.parse(readFileSync(path.join(source(), "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies[KIT_PACKAGE]).toBe("^0.1.1");
    for (const sdk of ["firebase-functions", "firebase-admin"]) {
      expect(
        existsSync(path.join(source(), "node_modules", KIT_PACKAGE, "node_modules", sdk)),
      ).toBe(false);
    }
  });
});
