import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import type { Agent } from "node:http";
import { createRequire } from "node:module";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { handleGetFleetEngineToken, type HandlerDeps } from "../../src/handler.js";
import { createRuntimeDeps } from "../../src/runtime.js";
import { CapturedLogs } from "../support/capture-logs.js";
import { failure } from "../support/failures.js";
import { startFakeIamServer, type FakeIamServer } from "../support/fake-iam-server.js";
import { startFakeAuthServer } from "../support/fake-auth-server.js";
import { startFakeFirestoreServer } from "../support/fake-firestore-server.js";
import {
  FAKE_ACCESS_TOKEN,
  metadataServerEnv,
  startFakeMetadataServer,
  type MetadataLookup,
} from "../support/fake-metadata-server.js";
import { startRecordingServer } from "../support/http-server.js";
import { createThrowawayKey } from "../support/keys.js";

/**
 * The production wiring (runtime.ts) as a deployed function runs it: no emulator, credentials
 * from a fake metadata server, IAM at a fake IAM Credentials server, and the params loaded from
 * env files by firebase-tools' own loader, exactly as a deploy would ship them.
 */

vi.setConfig({ testTimeout: 20_000 });

const PROJECT = "demo-prod";
const RUNTIME = "runtime@demo-prod.iam.gserviceaccount.com";
const FUNCTIONS_DIR = path.resolve(__dirname, "..", "..");
const loadUserEnvs = (
  createRequire(__filename)("firebase-tools/lib/functions/env.js") as {
    loadUserEnvs(options: {
      functionsSource: string;
      projectId: string;
      isEmulator: boolean;
    }): Record<string, string>;
  }
).loadUserEnvs;

let iam: FakeIamServer;
let logs: CapturedLogs;
const closers: (() => Promise<void> | void)[] = [];

/** gcp-metadata's view of where it runs, computed once per process: recomputed per test. */
async function gcpMetadata() {
  return (await import("google-auth-library")).gcpMetadata;
}

beforeAll(async () => {
  iam = await startFakeIamServer();
});
afterAll(async () => {
  await iam.close();
});
beforeEach(() => {
  logs = new CapturedLogs();
  // Whatever other test files left in this process: a deployed function has none of these.
  for (const name of [
    "FUNCTIONS_EMULATOR",
    "FIREBASE_DEBUG_MODE",
    "FIREBASE_DEBUG_FEATURES",
    "FIRESTORE_EMULATOR_HOST",
    "FIREBASE_AUTH_EMULATOR_HOST",
  ]) {
    vi.stubEnv(name, undefined);
  }
});
afterEach(async () => {
  iam.reset();
  for (const close of closers.splice(0)) await close();
  vi.unstubAllEnvs();
  (await gcpMetadata()).setGCPResidency();
});

/** A functions/ folder holding the repository's .env and this project's .env.<project>. */
function deployedEnv(projectLines: string): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), "fe-prod-env-"));
  copyFileSync(path.join(FUNCTIONS_DIR, ".env"), path.join(dir, ".env"));
  writeFileSync(path.join(dir, `.env.${PROJECT}`), projectLines);
  return loadUserEnvs({ functionsSource: dir, projectId: PROJECT, isEmulator: false });
}

interface ProductionOptions {
  hang?: MetadataLookup[];
  withholdFirst?: MetadataLookup[];
  failFirst?: MetadataLookup[];
  deadlineMs?: number;
  metadataTimeoutMs?: number;
  /** Firestore's documents ("collection/id" -> fields), served by a fake of its REST API. */
  firestore?: Record<string, Record<string, unknown>>;
  /** Or where Firestore's REST API is, for a Firestore that never answers. */
  firestoreBaseUrl?: string;
  /** Firebase Auth's users, served by a fake of its admin API (no emulator). */
  authUsers?: Parameters<typeof startFakeAuthServer>[0]["users"];
  /** Variables the platform sets, on top of the deploy's (GCLOUD_PROJECT unset: undefined). */
  platform?: Record<string, string | undefined>;
}

/**
 * The function as Cloud Run runs it: K_SERVICE set (gcp-metadata then waits on the metadata
 * server with no timeout of its own), the params of a deploy, the metadata server a fake.
 */
async function production(
  projectLines: string,
  options: ProductionOptions = {},
): Promise<HandlerDeps> {
  const metadata = await startFakeMetadataServer({
    runtimeAccount: RUNTIME,
    projectId: PROJECT,
    ...(options.hang ? { hang: options.hang } : {}),
    ...(options.withholdFirst ? { withholdFirst: options.withholdFirst } : {}),
    ...(options.failFirst ? { failFirst: options.failFirst } : {}),
  });
  closers.push(() => metadata.close());
  lastMetadata = metadata;
  for (const [name, value] of Object.entries({
    ...deployedEnv(projectLines),
    ...metadataServerEnv(metadata, PROJECT),
    K_SERVICE: "getfleetenginetoken",
    ...options.platform,
  })) {
    vi.stubEnv(name, value);
  }
  const residency = await gcpMetadata();
  residency.setGCPResidency();
  expect(residency.requestTimeout()).toBe(0); // as on Cloud Run: no timeout below ours
  let firestoreBaseUrl = options.firestoreBaseUrl;
  if (options.firestore !== undefined) {
    const firestore = await startFakeFirestoreServer({
      projectId: PROJECT,
      accessToken: FAKE_ACCESS_TOKEN,
      documents: options.firestore,
    });
    closers.push(() => firestore.close());
    lastFirestore = firestore;
    firestoreBaseUrl = firestore.url;
  }
  let authHttpAgent: Agent | undefined;
  if (options.authUsers !== undefined) {
    const auth = await startFakeAuthServer({
      projectId: PROJECT,
      accessToken: FAKE_ACCESS_TOKEN,
      users: options.authUsers,
    });
    closers.push(() => auth.close());
    lastAuth = auth;
    authHttpAgent = auth.agent;
  }
  return createRuntimeDeps(logs, {
    iamBaseUrl: iam.url,
    ...(firestoreBaseUrl === undefined ? {} : { firestoreBaseUrl }),
    ...(authHttpAgent === undefined ? {} : { authHttpAgent }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    ...(options.metadataTimeoutMs === undefined
      ? {}
      : { metadataTimeoutMs: options.metadataTimeoutMs }),
  });
}

let lastMetadata: Awaited<ReturnType<typeof startFakeMetadataServer>>;
let lastFirestore: Awaited<ReturnType<typeof startFakeFirestoreServer>>;
let lastAuth: Awaited<ReturnType<typeof startFakeAuthServer>>;

const operatorCall = (deps: HandlerDeps) =>
  handleGetFleetEngineToken(
    {
      data: { type: "fleetReader" },
      auth: { uid: "op", token: { uid: "op", fleetReader: true, auth_time: 1 } },
    },
    deps,
  );

const callLines = () =>
  logs.entries.filter((entry) => entry.payload.event === "fleet-engine-token");

describe("no key signing in production, whatever the env files say", () => {
  it("signs through IAM although .env.<project> sets FUNCTIONS_EMULATOR and a real key file", async () => {
    const key = createThrowawayKey("leaked-key@demo-prod.iam.gserviceaccount.com");
    const deps = await production(
      `FUNCTIONS_EMULATOR=true\nFLEET_ENGINE_DEV_KEY_FILE=${key.file}\nCHECK_REVOKED_TOKENS=false\n`,
    );
    expect(process.env.FUNCTIONS_EMULATOR).toBe("true"); // the env file's line did arrive
    const response = await operatorCall(deps);
    expect(iam.requests).toHaveLength(1);
    const { decodeJwt, jwtVerify } = await import("jose");
    expect(decodeJwt(response.token).iss).toBe(RUNTIME);
    await expect(jwtVerify(response.token, key.publicKey)).rejects.toThrow();
  });

  it("(control) the real emulator, which also sets FIREBASE_DEBUG_MODE, does sign with the key", async () => {
    const key = createThrowawayKey("dev-key@demo-prod.iam.gserviceaccount.com");
    const deps = await production(
      `FUNCTIONS_EMULATOR=true\nFLEET_ENGINE_DEV_KEY_FILE=${key.file}\nCHECK_REVOKED_TOKENS=false\n` +
        "FLEET_READER_SIGNER_ACCOUNT=fe-reader@demo-prod.iam.gserviceaccount.com\n",
    );
    vi.stubEnv("FIREBASE_DEBUG_MODE", "true");
    const response = await operatorCall(deps);
    expect(iam.requests).toHaveLength(0);
    // The signer param is not used here, and the log says so once.
    expect(logs.entries.filter((entry) => entry.payload.event === "fleet-engine-dev-key")).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          ignoredParams: "FLEET_READER_SIGNER_ACCOUNT",
        }) as object,
      }),
    ]);
    const { jwtVerify } = await import("jose");
    expect((await jwtVerify(response.token, key.publicKey)).payload.iss).toBe(key.email);
  });

  it("refuses FIREBASE_DEBUG_MODE in user env files, so they cannot fake the emulator", () => {
    expect(() => deployedEnv("FIREBASE_DEBUG_MODE=true\n")).toThrow(/Failed to load/);
  });
});

describe("shared signing accounts are said out loud", () => {
  it("warns once per instance when types with different roles share the runtime account", async () => {
    const deps = await production("CHECK_REVOKED_TOKENS=false\n");
    await operatorCall(deps);
    await operatorCall(deps);
    const warnings = logs.entries.filter(
      (entry) => entry.payload.event === "fleet-engine-shared-signer",
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.severity).toBe("WARNING");
    const payload = warnings[0]?.payload ?? {};
    expect(payload.types).toBe(
      "driver,consumer,deliveryDriver,deliveryConsumer,fleetReader,deliveryFleetReader",
    );
    expect(payload.account).toMatch(/runtime service account/);
    expect(payload.roles).toMatch(/roles\/fleetengine\.driverSdkUser/);
    expect(payload.why).toMatch(/every role of the account that signed it/);
  });

  it("names the account two params share, and only the enabled types", async () => {
    const shared = "fe-shared@demo-prod.iam.gserviceaccount.com";
    const deps = await production(
      [
        "CHECK_REVOKED_TOKENS=false",
        "ENABLED_TOKEN_TYPES=consumer,fleetReader",
        `CONSUMER_SIGNER_ACCOUNT=${shared}`,
        `FLEET_READER_SIGNER_ACCOUNT=${shared}`,
        "",
      ].join("\n"),
    );
    await operatorCall(deps);
    const warnings = logs.entries.filter(
      (entry) => entry.payload.event === "fleet-engine-shared-signer",
    );
    expect(warnings.map((entry) => entry.payload)).toEqual([
      expect.objectContaining({ types: "consumer,fleetReader", account: shared }),
    ]);
  });

  it("stays quiet when every enabled type has its own account", async () => {
    const deps = await production(
      [
        "CHECK_REVOKED_TOKENS=false",
        "ENABLED_TOKEN_TYPES=consumer,fleetReader",
        "CONSUMER_SIGNER_ACCOUNT=fe-consumer@demo-prod.iam.gserviceaccount.com",
        "FLEET_READER_SIGNER_ACCOUNT=fe-reader@demo-prod.iam.gserviceaccount.com",
        "",
      ].join("\n"),
    );
    await operatorCall(deps);
    expect(logs.entries.map((entry) => entry.payload.event)).toEqual(["fleet-engine-token"]);
  });
});

describe("every call answers within its deadline, in production", () => {
  async function silentTcpServer(): Promise<string> {
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function expectDeadline(deps: HandlerDeps, call: Promise<unknown>, step: string) {
    const started = Date.now();
    const error = await failure(call);
    expect(error.clientCode).toBe("unavailable");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(callLines()).toHaveLength(1);
    expect(callLines()[0]).toMatchObject({
      severity: "WARNING",
      payload: { outcome: "failed", reason: "deadline-exceeded", step },
    });
    // Nothing left running signs later.
    const iamCalls = iam.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(iam.requests.length).toBe(iamCalls);
    expect(callLines()).toHaveLength(1);
    return deps;
  }

  it("a metadata server that hangs on the runtime account's email", async () => {
    const deps = await production("CHECK_REVOKED_TOKENS=false\n", {
      hang: ["email"],
      deadlineMs: 800,
    });
    await expectDeadline(deps, operatorCall(deps), "metadata-server:runtime-account");
    expect(iam.requests).toHaveLength(0);
  });

  it("a metadata server that hangs on the access token", async () => {
    const deps = await production(
      "CHECK_REVOKED_TOKENS=false\nFLEET_READER_SIGNER_ACCOUNT=fe-reader@demo-prod.iam.gserviceaccount.com\n",
      { hang: ["token"], deadlineMs: 800 },
    );
    await expectDeadline(deps, operatorCall(deps), "metadata-server:access-token");
    expect(iam.requests).toHaveLength(0);
  });

  it("a hanging IAM signJwt", async () => {
    const deps = await production("CHECK_REVOKED_TOKENS=false\n", { deadlineMs: 800 });
    iam.setDefault({ kind: "hang" });
    await expectDeadline(deps, operatorCall(deps), "iam-signJwt");
    expect(iam.requests).toHaveLength(1);
  });

  it("a hanging Auth lookup", async () => {
    const auth = await startRecordingServer(() => undefined); // accepts, never answers
    closers.push(() => auth.close());
    const deps = await production("CHECK_REVOKED_TOKENS=true\n", { deadlineMs: 800 });
    vi.stubEnv("FIREBASE_AUTH_EMULATOR_HOST", auth.host);
    await expectDeadline(deps, operatorCall(deps), "auth-lookup");
    expect(auth.requests.map((request) => request.url)).toEqual([
      expect.stringContaining("accounts:lookup"),
    ]);
    expect(iam.requests).toHaveLength(0);
  });

  it("a hanging Firestore read", async () => {
    const deps = await production("CHECK_REVOKED_TOKENS=false\n", {
      deadlineMs: 800,
      firestoreBaseUrl: `http://${await silentTcpServer()}`,
    });
    const call = handleGetFleetEngineToken(
      { data: { type: "driver" }, auth: { uid: "driver", token: { uid: "driver", auth_time: 1 } } },
      deps,
    );
    await expectDeadline(deps, call, "firestore-read");
    expect(iam.requests).toHaveLength(0);
  });
});

describe("a signature shared by concurrent calls, in production", () => {
  it("is not aborted by the first caller's deadline: a caller who joined later gets its token", async () => {
    const deps = await production("CHECK_REVOKED_TOKENS=false\n", { deadlineMs: 1000 });
    iam.enqueue({ kind: "delay", ms: 1500 });
    const started = Date.now();
    const first = failure(operatorCall(deps)).then((error) => ({
      error,
      at: Date.now() - started,
    }));
    await new Promise((resolve) => setTimeout(resolve, 700));
    const second = await operatorCall(deps);
    const secondAt = Date.now() - started;
    const { error, at } = await first;
    // The first call leaves at its own deadline ...
    expect(error.clientCode).toBe("unavailable");
    expect(at).toBeLessThan(1400);
    // ... and the second, which joined 700 ms later, gets the token of the one IAM call.
    expect(secondAt).toBeGreaterThanOrEqual(1400);
    const { decodeJwt } = await import("jose");
    expect(decodeJwt(second.token).iss).toBe(RUNTIME);
    expect(iam.requests).toHaveLength(1);
    expect(callLines().map((line) => [line.payload.outcome, line.payload.reason])).toEqual([
      ["failed", "deadline-exceeded"],
      ["issued", undefined],
    ]);
  });
});

const driverCall = (deps: HandlerDeps) =>
  handleGetFleetEngineToken(
    { data: { type: "driver" }, auth: { uid: "driver", token: { uid: "driver", auth_time: 1 } } },
    deps,
  );

const requestsTo = (server: { requests: { url: string }[] }, part: string) =>
  server.requests.filter((request) => request.url.includes(part)).length;

describe("an instance recovers at its next call, on Cloud Run (K_SERVICE set)", () => {
  // Production ratio: each metadata lookup is bounded well inside the call's deadline (3 s and
  // 10 s), so the call that met the stall fails at the lookup's bound and the next starts over.
  const bounds = { deadlineMs: 2000, metadataTimeoutMs: 300 };

  async function stalledThenServed(
    deps: HandlerDeps,
    call: (deps: HandlerDeps) => Promise<unknown>,
  ) {
    const started = Date.now();
    const error = await failure(call(deps));
    expect(error.clientCode).toBe("unavailable");
    expect(Date.now() - started).toBeLessThan(1500);
    await call(deps); // served: the stalled lookup was forgotten
    return callLines().map((line) => line.payload);
  }

  it("the runtime account's email: a first answer withheld, then the next call served", async () => {
    const deps = await production("CHECK_REVOKED_TOKENS=false\n", {
      withholdFirst: ["email"],
      ...bounds,
    });
    const lines = await stalledThenServed(deps, operatorCall);
    expect(lines).toEqual([
      expect.objectContaining({
        outcome: "failed",
        reason: "metadata-server-timeout",
        lookup: "runtime-account",
      }),
      expect.objectContaining({ outcome: "issued", account: RUNTIME }),
    ]);
    expect(requestsTo(lastMetadata, "default/email")).toBe(2);
    expect(iam.requests).toHaveLength(1);
  });

  it("the access token: a first answer withheld, then the next call served", async () => {
    const deps = await production(
      "CHECK_REVOKED_TOKENS=false\nFLEET_READER_SIGNER_ACCOUNT=fe-reader@demo-prod.iam.gserviceaccount.com\n",
      { withholdFirst: ["token"], ...bounds },
    );
    const lines = await stalledThenServed(deps, operatorCall);
    expect(lines.map((line) => [line.outcome, line.reason, line.lookup])).toEqual([
      ["failed", "metadata-server-timeout", "access-token"],
      ["issued", undefined, undefined],
    ]);
    expect(requestsTo(lastMetadata, "default/token")).toBe(2);
    expect(iam.requests).toHaveLength(1);
    expect(iam.problems).toEqual([]); // the second call's IAM request carried a real token
  });

  it("the runtime account's email: a first answer failed, then the next call served", async () => {
    const deps = await production("CHECK_REVOKED_TOKENS=false\n", {
      failFirst: ["email"],
      ...bounds,
    });
    const lines = await stalledThenServed(deps, operatorCall);
    expect(lines.map((line) => [line.outcome, line.reason])).toEqual([
      ["failed", "runtime-account-unknown"],
      ["issued", undefined],
    ]);
  });

  it("the Firestore read's access token: a first answer withheld, then the next call served", async () => {
    const deps = await production(
      "CHECK_REVOKED_TOKENS=false\nDRIVER_SIGNER_ACCOUNT=fe-driver@demo-prod.iam.gserviceaccount.com\n",
      {
        withholdFirst: ["token"],
        firestore: { "drivers/driver": { vehicleId: "v-1" } },
        ...bounds,
      },
    );
    const lines = await stalledThenServed(deps, driverCall);
    expect(lines.map((line) => [line.outcome, line.reason, line.lookup])).toEqual([
      ["failed", "metadata-server-timeout", "access-token"],
      ["issued", undefined, undefined],
    ]);
    expect(lastFirestore.requests).toHaveLength(1);
    expect(lastFirestore.problems).toEqual([]);
  });

  it("firebase-admin's Auth client: a first token withheld, then the next lookup served", async () => {
    // firebase-admin's own credential would share its one pending refresh with every later
    // lookup, for good: the function gives it the bounded token instead.
    const deps = await production(
      "CHECK_REVOKED_TOKENS=true\nFLEET_READER_SIGNER_ACCOUNT=fe-reader@demo-prod.iam.gserviceaccount.com\n",
      {
        withholdFirst: ["token"],
        authUsers: { op: { customClaims: { fleetReader: true } } },
        ...bounds,
      },
    );
    const lines = await stalledThenServed(deps, operatorCall);
    expect(lines.map((line) => [line.outcome, line.reason, line.lookup])).toEqual([
      ["failed", "metadata-server-timeout", "access-token"],
      ["issued", undefined, undefined],
    ]);
    // The user record was read with the metadata server's token, through firebase-admin.
    expect(lastAuth.requests).toHaveLength(1);
    expect(lastAuth.problems).toEqual([]);
  });

  it("(why) firebase-admin's own credential shares a withheld refresh with every later lookup", async () => {
    await production("CHECK_REVOKED_TOKENS=true\n", {
      withholdFirst: ["token"],
      authUsers: { op: {} },
    });
    const { applicationDefault, deleteApp, initializeApp } = await import("firebase-admin/app");
    const { getAuth } = await import("firebase-admin/auth");
    const app = initializeApp(
      {
        credential: applicationDefault(lastAuth.agent),
        projectId: PROJECT,
        httpAgent: lastAuth.agent,
      },
      `firebase-admin-default-credential-${Date.now()}`,
    );
    closers.push(() => deleteApp(app));
    const within = (ms: number, lookup: Promise<unknown>) =>
      Promise.race([
        lookup.then(
          () => "answered",
          () => "failed",
        ),
        new Promise((resolve) => setTimeout(() => resolve("no answer"), ms)),
      ]);
    expect(await within(400, getAuth(app).getUser("op"))).toBe("no answer");
    // The next lookups join the first one's refresh instead of asking again: wedged for good.
    expect(await within(400, getAuth(app).getUser("op"))).toBe("no answer");
    expect(await within(400, getAuth(app).getUser("op"))).toBe("no answer");
    expect(requestsTo(lastMetadata, "default/token")).toBe(1);
    expect(lastAuth.requests).toHaveLength(0);
  });

  it("(control) the claims come from the user record that firebase-admin read", async () => {
    const deps = await production(
      "CHECK_REVOKED_TOKENS=true\nFLEET_READER_SIGNER_ACCOUNT=fe-reader@demo-prod.iam.gserviceaccount.com\n",
      { authUsers: { op: { customClaims: {} } }, ...bounds },
    );
    expect((await failure(operatorCall(deps))).clientCode).toBe("permission-denied");
    expect(lastAuth.requests).toHaveLength(1);
  });
});

describe("emulator settings never reach production", () => {
  it("ignores FIRESTORE_EMULATOR_HOST from a deployed env file, and says so once", async () => {
    const emulator = await startRecordingServer((_, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ fields: { vehicleId: { stringValue: "forged" } } }));
    });
    closers.push(() => emulator.close());
    // firebase-tools accepts the line in a deployable env file: the deploy would ship it.
    expect(deployedEnv(`FIRESTORE_EMULATOR_HOST=${emulator.host}\n`)).toMatchObject({
      FIRESTORE_EMULATOR_HOST: emulator.host,
    });
    const deps = await production(
      `CHECK_REVOKED_TOKENS=false\nFIRESTORE_EMULATOR_HOST=${emulator.host}\n` +
        "DRIVER_SIGNER_ACCOUNT=fe-driver@demo-prod.iam.gserviceaccount.com\n",
      { firestore: { "drivers/driver": { vehicleId: "v-1" } } },
    );
    const first = await driverCall(deps);
    await driverCall(deps);
    expect(first.authorization).toEqual({ vehicleid: "v-1" });
    expect(emulator.requests).toEqual([]); // no owner credential over plain HTTP, no forged answer
    expect(lastFirestore.requests).toHaveLength(2);
    expect(lastFirestore.problems).toEqual([]);
    const warnings = logs.entries.filter(
      (entry) => entry.payload.event === "fleet-engine-emulator-setting-ignored",
    );
    expect(warnings).toEqual([
      expect.objectContaining({
        severity: "WARNING",
        payload: expect.objectContaining({
          variable: "FIRESTORE_EMULATOR_HOST",
          value: emulator.host,
        }) as object,
      }),
    ]);
  });

  it("(control) the Functions emulator, which also sets FIREBASE_DEBUG_MODE, reads from it", async () => {
    const key = createThrowawayKey("dev-key@demo-prod.iam.gserviceaccount.com");
    const emulator = await startFakeFirestoreServer({
      projectId: PROJECT,
      accessToken: "owner",
      documents: { "drivers/driver": { vehicleId: "v-emulated" } },
    });
    closers.push(() => emulator.close());
    const deps = await production(
      `CHECK_REVOKED_TOKENS=false\nFUNCTIONS_EMULATOR=true\nFLEET_ENGINE_DEV_KEY_FILE=${key.file}\n`,
      { platform: { FIREBASE_DEBUG_MODE: "true", FIRESTORE_EMULATOR_HOST: emulator.host } },
    );
    expect((await driverCall(deps)).authorization).toEqual({ vehicleid: "v-emulated" });
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.problems).toEqual([]);
    expect(
      logs.entries.filter(
        (entry) => entry.payload.event === "fleet-engine-emulator-setting-ignored",
      ),
    ).toEqual([]);
  });
});

describe("the shared-signer warning resolves the runtime account as doctor does", () => {
  const sharedWarnings = () =>
    logs.entries
      .filter((entry) => entry.payload.event === "fleet-engine-shared-signer")
      .map((entry) => entry.payload);

  it.each([
    ["an email", "fe-runtime@demo-prod.iam.gserviceaccount.com"],
    ["name@, which the deploy completes with the project", "fe-runtime@"],
  ])("warns when RUNTIME_SERVICE_ACCOUNT (%s) is also a type's signer param", async (_, value) => {
    const runtime = "fe-runtime@demo-prod.iam.gserviceaccount.com";
    const deps = await production(
      [
        "CHECK_REVOKED_TOKENS=false",
        "ENABLED_TOKEN_TYPES=consumer,fleetReader",
        `RUNTIME_SERVICE_ACCOUNT=${value}`,
        `FLEET_READER_SIGNER_ACCOUNT=${runtime}`,
        "",
      ].join("\n"),
    );
    await operatorCall(deps);
    await operatorCall(deps);
    // consumer is signed by the runtime account, fleetReader by the account named twice.
    expect(sharedWarnings()).toEqual([
      expect.objectContaining({
        types: "consumer,fleetReader",
        account: `the runtime service account ${runtime}`,
      }),
    ]);
  });

  it("warns once the discovered runtime email turns out to be a type's signer param", async () => {
    const deps = await production(
      [
        "CHECK_REVOKED_TOKENS=false",
        "ENABLED_TOKEN_TYPES=driver,fleetReader",
        `FLEET_READER_SIGNER_ACCOUNT=${RUNTIME}`,
        "",
      ].join("\n"),
      { firestore: { "drivers/driver": { vehicleId: "v-1" } } },
    );
    await operatorCall(deps); // signed as the param's account: the runtime email is not asked for
    expect(sharedWarnings()).toEqual([]);
    await driverCall(deps); // signed by the runtime account, whose email the metadata server gives
    await driverCall(deps);
    expect(sharedWarnings()).toEqual([
      expect.objectContaining({
        types: "driver,fleetReader",
        account: `the runtime service account ${RUNTIME}`,
      }),
    ]);
  });
});
