import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
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
import { metadataServerEnv, startFakeMetadataServer } from "../support/fake-metadata-server.js";
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
});

/** A functions/ folder holding the repository's .env and this project's .env.<project>. */
function deployedEnv(projectLines: string): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), "fe-prod-env-"));
  copyFileSync(path.join(FUNCTIONS_DIR, ".env"), path.join(dir, ".env"));
  writeFileSync(path.join(dir, `.env.${PROJECT}`), projectLines);
  return loadUserEnvs({ functionsSource: dir, projectId: PROJECT, isEmulator: false });
}

async function production(
  projectLines: string,
  options: { hang?: ("email" | "token")[]; deadlineMs?: number } = {},
): Promise<HandlerDeps> {
  const metadata = await startFakeMetadataServer({
    runtimeAccount: RUNTIME,
    projectId: PROJECT,
    ...(options.hang ? { hang: options.hang } : {}),
  });
  closers.push(() => metadata.close());
  for (const [name, value] of Object.entries({
    ...deployedEnv(projectLines),
    ...metadataServerEnv(metadata, PROJECT),
  })) {
    vi.stubEnv(name, value);
  }
  return createRuntimeDeps(logs, {
    iamBaseUrl: iam.url,
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  });
}

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
    const deps = await production("CHECK_REVOKED_TOKENS=false\n", { deadlineMs: 800 });
    vi.stubEnv("FIRESTORE_EMULATOR_HOST", await silentTcpServer());
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
