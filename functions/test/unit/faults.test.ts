import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { GoogleAuth } from "google-auth-library";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

// Faults take seconds by design (timeouts, retries); the budget under test is 10 s.
vi.setConfig({ testTimeout: 20_000 });
import {
  DEFAULT_READ_TIMEOUT_MS,
  FirestoreAssignmentRepository,
} from "../../src/entitlement/assignments.js";
import { RuntimeCredentials } from "../../src/credentials/runtime-credentials.js";
import { CALL_DEADLINE_MS } from "../../src/deadline.js";
import { FirestoreRestDocuments } from "../../src/entitlement/firestore-rest.js";
import { TokenServiceError } from "../../src/errors.js";
import { handleGetFleetEngineToken, type HandlerDeps } from "../../src/handler.js";
import { createLogs } from "../../src/logs.js";
import { DEFAULT_RETRY_POLICY } from "../../src/signing/iam-signer.js";
import { createIamSignerSet } from "../../src/signing/signer-set.js";
import type { AssignmentRepository } from "../../src/entitlement/assignments.js";
import { CapturedLogs } from "../support/capture-logs.js";
import {
  startFakeIamServer,
  type FakeIamServer,
  type IamBehaviour,
} from "../support/fake-iam-server.js";
import { metadataServerEnv, startFakeMetadataServer } from "../support/fake-metadata-server.js";
import { MemoryAssignments } from "../support/memory-assignments.js";

/**
 * One test per fault, through the whole handler with the production retry policy and timeouts:
 * a real google-auth-library and IAM signer against a fake IAM Credentials server, a real
 * Firestore client against a Firestore that is down or hangs. Every fault ends in a documented
 * code, one log entry, and no token.
 */

const DRIVER_ACCOUNT = "fe-driver@demo-faults.iam.gserviceaccount.com";
/** The call's deadline bounds every fault; the slack is for a loaded machine's timers only. */
const BUDGET_MS = CALL_DEADLINE_MS + 1_000;

let iam: FakeIamServer;
let metadata: Awaited<ReturnType<typeof startFakeMetadataServer>>;
let logs: CapturedLogs;

beforeAll(async () => {
  iam = await startFakeIamServer();
  metadata = await startFakeMetadataServer({
    runtimeAccount: "runtime@demo-faults.iam.gserviceaccount.com",
    projectId: "demo-faults",
  });
});

afterAll(async () => {
  await iam.close();
  await metadata.close();
});

afterEach(() => {
  iam.reset();
});

function deps(assignments: AssignmentRepository): HandlerDeps {
  for (const [name, value] of Object.entries(metadataServerEnv(metadata, "demo-faults"))) {
    vi.stubEnv(name, value);
  }
  const credentials = new RuntimeCredentials({
    newAuth: async () =>
      new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] }),
  });
  const signers = createIamSignerSet(
    {
      signerAccounts: {
        driver: DRIVER_ACCOUNT,
        consumer: undefined,
        deliveryDriver: undefined,
        trustedDeliveryDriver: undefined,
        deliveryConsumer: undefined,
        fleetReader: undefined,
        deliveryFleetReader: undefined,
      },
    },
    credentials,
    { baseUrl: iam.url },
  );
  logs = new CapturedLogs();
  return {
    clock: { nowMillis: () => Date.now() },
    logs: createLogs(logs),
    services: async () => ({
      ttlSeconds: 3600,
      checkRevokedTokens: false,
      sessions: { currentSession: async () => ({ customClaims: {} }) },
      assignments,
      signers,
    }),
  };
}

function driverAssignments(): MemoryAssignments {
  const assignments = new MemoryAssignments();
  assignments.drivers.set("driver", { vehicleId: "v-1" });
  return assignments;
}

/** Calls as a driver; returns the error, the elapsed time, and proves no token came back. */
async function fault(
  handlerDeps: HandlerDeps,
): Promise<{ error: TokenServiceError; elapsedMs: number }> {
  const started = Date.now();
  const outcome = await handleGetFleetEngineToken(
    { data: { type: "driver" }, auth: { uid: "driver", token: {}, rawToken: "raw" } },
    handlerDeps,
  ).then(
    (response) => ({ response }),
    (error: unknown) => ({ error }),
  );
  expect("response" in outcome ? outcome.response : undefined).toBeUndefined();
  expect((outcome as { error: unknown }).error).toBeInstanceOf(TokenServiceError);
  expect(logs.entries).toHaveLength(1);
  expect(logs.entries[0]?.payload.outcome).toBe("failed");
  expect(logs.text()).not.toMatch(/eyJ[\w-]*\.eyJ/);
  return {
    error: (outcome as { error: TokenServiceError }).error,
    elapsedMs: Date.now() - started,
  };
}

describe("Firestore faults", () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    for (const server of servers) server.close();
  });

  function firestoreAt(host: string): FirestoreAssignmentRepository {
    const documents = new FirestoreRestDocuments({
      projectId: "demo-faults",
      baseUrl: `http://${host}`,
      authorization: async () => "Bearer owner",
    });
    return new FirestoreAssignmentRepository({
      documents: async () => documents,
      collections: { drivers: "drivers", trips: "trips", shipments: "shipments", tasks: "tasks" },
    });
  }

  it("gives unavailable within the budget when Firestore is unreachable", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve())); // nothing listens there now
    const { error, elapsedMs } = await fault(deps(firestoreAt(`127.0.0.1:${port}`)));
    expect(error.clientCode).toBe("unavailable");
    expect(elapsedMs).toBeLessThan(BUDGET_MS);
  });

  it("gives unavailable within the budget when Firestore accepts but never answers", async () => {
    const silent = createServer((socket) => sockets.push(socket));
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    const { error, elapsedMs } = await fault(deps(firestoreAt(`127.0.0.1:${port}`)));
    expect(error.clientCode).toBe("unavailable");
    expect(error.details.reason).toBe("firestore-timeout");
    expect(elapsedMs).toBeGreaterThanOrEqual(DEFAULT_READ_TIMEOUT_MS - 100);
    expect(elapsedMs).toBeLessThan(BUDGET_MS);
  });
});

describe("IAM faults", () => {
  async function iamFault(...behaviours: IamBehaviour[]) {
    iam.enqueue(...behaviours);
    return fault(deps(driverAssignments()));
  }

  it.each([403, 404])(
    "HTTP %i gives failed-precondition and a log naming the account and the missing permission",
    async (status) => {
      const { error } = await iamFault({ kind: "status", status });
      expect(error.clientCode).toBe("failed-precondition");
      expect(error.clientMessage).not.toContain(DRIVER_ACCOUNT); // details go to the log only
      expect(logs.entries[0]).toMatchObject({
        severity: "ERROR",
        payload: {
          code: "misconfigured",
          reason: "iam-permission",
          account: DRIVER_ACCOUNT,
          permission: "iam.serviceAccounts.signJwt",
        },
      });
      expect(iam.requests).toHaveLength(1);
    },
  );

  it.each([429, 500, 503])(
    "HTTP %i is retried with bounded backoff, then unavailable",
    async (status) => {
      const attempts = DEFAULT_RETRY_POLICY.attempts;
      const { error, elapsedMs } = await iamFault(
        ...Array.from({ length: attempts }, (): IamBehaviour => ({ kind: "status", status })),
      );
      expect(error.clientCode).toBe("unavailable");
      expect(iam.requests).toHaveLength(attempts);
      expect(elapsedMs).toBeLessThan(BUDGET_MS);
      expect(logs.entries[0]?.severity).toBe("WARNING");
    },
  );

  it("a hanging IAM call times out: unavailable within the budget", async () => {
    const { error, elapsedMs } = await iamFault(
      { kind: "hang" },
      { kind: "hang" },
      { kind: "hang" },
    );
    expect(error.clientCode).toBe("unavailable");
    expect(elapsedMs).toBeGreaterThanOrEqual(DEFAULT_RETRY_POLICY.timeoutMs);
    expect(elapsedMs).toBeLessThan(BUDGET_MS);
  });

  it.each([
    ["a missing signedJwt", { keyId: "k" }],
    ["a signedJwt that is not a JWT", { keyId: "k", signedJwt: "certainly.not.a-jwt" }],
  ])("an answer with %s gives internal and no token", async (_, body) => {
    const { error } = await iamFault({ kind: "answer", body });
    expect(error.clientCode).toBe("internal");
    expect(logs.entries[0]?.payload).toMatchObject({
      code: "signing-failed",
      reason: "iam-malformed",
    });
  });

  it("an answer whose claims differ from those sent gives internal and no token", async () => {
    const { SignJWT, generateKeyPair } = await import("jose");
    const { privateKey } = await generateKeyPair("RS256");
    const now = Math.floor(Date.now() / 1000);
    const other = await new SignJWT({
      iss: DRIVER_ACCOUNT,
      sub: DRIVER_ACCOUNT,
      aud: "https://fleetengine.googleapis.com/",
      iat: now,
      exp: now + 3600,
      authorization: { vehicleid: "*" },
    })
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .sign(privateKey);
    const { error } = await iamFault({ kind: "answer", body: { keyId: "k", signedJwt: other } });
    expect(error.clientCode).toBe("internal");
    expect(logs.entries[0]?.payload).toMatchObject({ reason: "iam-malformed" });
  });
});
