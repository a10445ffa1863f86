import { GoogleAuth } from "google-auth-library";
import { jwtVerify } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { RuntimeCredentials } from "../../../src/credentials/runtime-credentials.js";
import { ErrorCode } from "../../../src/errors.js";
import { IamSigner, type RetryPolicy } from "../../../src/signing/iam-signer.js";
import { createIamSignerSet } from "../../../src/signing/signer-set.js";
import { buildClaims, type FleetEngineClaims } from "../../../src/token/claims.js";
import { startFakeIamServer, type FakeIamServer } from "../../support/fake-iam-server.js";
import { metadataServerEnv, startFakeMetadataServer } from "../../support/fake-metadata-server.js";

const RUNTIME_ACCOUNT = "runtime@demo-test.iam.gserviceaccount.com";
const DRIVER_ACCOUNT = "fe-driver@demo-test.iam.gserviceaccount.com";
const FAST_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 1, timeoutMs: 300 };

let iam: FakeIamServer;
let metadata: Awaited<ReturnType<typeof startFakeMetadataServer>>;

beforeAll(async () => {
  iam = await startFakeIamServer();
  metadata = await startFakeMetadataServer({
    runtimeAccount: RUNTIME_ACCOUNT,
    projectId: "demo-test",
  });
});

afterAll(async () => {
  await iam.close();
  await metadata.close();
});

afterEach(() => {
  iam.reset();
});

/** The function's credentials as on Cloud Functions: google-auth-library on the metadata server. */
function metadataCredentials(): RuntimeCredentials {
  for (const [name, value] of Object.entries(metadataServerEnv(metadata, "demo-test"))) {
    vi.stubEnv(name, value);
  }
  return new RuntimeCredentials({
    newAuth: async () =>
      new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] }),
  });
}

function signer(account?: string, retry: RetryPolicy = FAST_RETRY): IamSigner {
  return new IamSigner({
    credentials: metadataCredentials(),
    baseUrl: iam.url,
    retry,
    ...(account === undefined ? {} : { account }),
  });
}

function claimsFor(account: string): FleetEngineClaims {
  return buildClaims(account, { vehicleid: "v-1" }, Date.now(), 3600);
}

describe("IamSigner against a fake IAM Credentials server", () => {
  it("discovers the runtime account from the metadata server and signs as it", async () => {
    const s = signer();
    expect(await s.accountEmail()).toBe(RUNTIME_ACCOUNT);
    const claims = claimsFor(RUNTIME_ACCOUNT);
    const token = await s.signJwt(claims);

    expect(iam.requests).toHaveLength(1);
    const [request] = iam.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe(
      `/v1/projects/-/serviceAccounts/${encodeURIComponent(RUNTIME_ACCOUNT)}:signJwt`,
    );
    expect(JSON.parse(request?.body ?? "")).toEqual({ payload: JSON.stringify(claims) });
    expect(iam.problems).toEqual([]);

    const { payload, protectedHeader } = await jwtVerify(token, iam.publicKey);
    expect(protectedHeader).toEqual({ alg: "RS256", kid: iam.keyId, typ: "JWT" });
    expect(payload).toEqual(claims);
  });

  it("signs as a configured account, naming it in the URL", async () => {
    const token = await signer(DRIVER_ACCOUNT).signJwt(claimsFor(DRIVER_ACCOUNT));
    expect(iam.accountOf(iam.requests[0])).toBe(DRIVER_ACCOUNT);
    expect((await jwtVerify(token, iam.publicKey)).payload.iss).toBe(DRIVER_ACCOUNT);
  });

  it.each([403, 404])(
    "maps HTTP %i to misconfigured, naming account and permission",
    async (status) => {
      iam.enqueue({
        kind: "status",
        status,
        message: "Permission 'iam.serviceAccounts.signJwt' denied",
      });
      const error = await signer(DRIVER_ACCOUNT)
        .signJwt(claimsFor(DRIVER_ACCOUNT))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: ErrorCode.Misconfigured,
        clientCode: "failed-precondition",
        details: {
          reason: "iam-permission",
          account: DRIVER_ACCOUNT,
          permission: "iam.serviceAccounts.signJwt",
          status,
        },
      });
      expect(String((error as Error).message)).toContain("roles/iam.serviceAccountTokenCreator");
      expect(iam.requests).toHaveLength(1); // no retry of a permanent refusal
    },
  );

  it.each([429, 500, 503])("retries HTTP %i and succeeds when IAM recovers", async (status) => {
    iam.enqueue({ kind: "status", status });
    const token = await signer(DRIVER_ACCOUNT).signJwt(claimsFor(DRIVER_ACCOUNT));
    expect(token.split(".")).toHaveLength(3);
    expect(iam.requests).toHaveLength(2);
  });

  it.each([429, 500, 503])("gives unavailable after bounded retries of HTTP %i", async (status) => {
    iam.enqueue({ kind: "status", status }, { kind: "status", status }, { kind: "status", status });
    await expect(signer(DRIVER_ACCOUNT).signJwt(claimsFor(DRIVER_ACCOUNT))).rejects.toMatchObject({
      code: ErrorCode.BackendUnavailable,
      clientCode: "unavailable",
    });
    expect(iam.requests).toHaveLength(FAST_RETRY.attempts);
  });

  it("times out a hanging IAM call and reports unavailable", async () => {
    iam.enqueue({ kind: "hang" }, { kind: "hang" }, { kind: "hang" });
    const started = Date.now();
    await expect(signer(DRIVER_ACCOUNT).signJwt(claimsFor(DRIVER_ACCOUNT))).rejects.toMatchObject({
      code: ErrorCode.BackendUnavailable,
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("reports an unreachable IAM endpoint as unavailable", async () => {
    const s = new IamSigner({
      credentials: metadataCredentials(),
      account: DRIVER_ACCOUNT,
      baseUrl: "http://127.0.0.1:9", // discard port: connection refused
      retry: FAST_RETRY,
    });
    await expect(s.signJwt(claimsFor(DRIVER_ACCOUNT))).rejects.toMatchObject({
      code: ErrorCode.BackendUnavailable,
    });
  });

  it.each([
    ["no signedJwt", { keyId: "k" }],
    ["a signedJwt that is not a JWT", { keyId: "k", signedJwt: "not-a-jwt" }],
    ["a number", { signedJwt: 42 }],
  ])("rejects an answer with %s as signing-failed", async (_, body) => {
    iam.enqueue({ kind: "answer", body });
    await expect(signer(DRIVER_ACCOUNT).signJwt(claimsFor(DRIVER_ACCOUNT))).rejects.toMatchObject({
      code: ErrorCode.SigningFailed,
      clientCode: "internal",
    });
  });

  it("rejects a signed JWT whose claims differ from those sent", async () => {
    const claims = claimsFor(DRIVER_ACCOUNT);
    const { SignJWT, generateKeyPair } = await import("jose");
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({ ...claims, authorization: { vehicleid: "*" } })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "k" })
      .sign(privateKey);
    iam.enqueue({ kind: "answer", body: { keyId: "k", signedJwt: forged } });
    await expect(signer(DRIVER_ACCOUNT).signJwt(claims)).rejects.toMatchObject({
      code: ErrorCode.SigningFailed,
      details: { reason: "iam-malformed" },
    });
  });
});

describe("createIamSignerSet", () => {
  it("uses the configured account per type and the runtime account elsewhere", async () => {
    const set = createIamSignerSet(
      {
        signerAccounts: {
          driver: DRIVER_ACCOUNT,
          consumer: undefined,
          deliveryDriver: undefined,
          trustedDeliveryDriver: undefined,
          deliveryConsumer: undefined,
          fleetReader: undefined,
          deliveryFleetReader: DRIVER_ACCOUNT,
        },
      },
      metadataCredentials(),
      { baseUrl: iam.url, retry: FAST_RETRY },
    );
    expect(await set.forType("driver").accountEmail()).toBe(DRIVER_ACCOUNT);
    expect(await set.forType("consumer").accountEmail()).toBe(RUNTIME_ACCOUNT);
    expect(set.forType("driver")).toBe(set.forType("deliveryFleetReader"));
    expect(set.forType("consumer")).toBe(set.forType("fleetReader"));
  });
});
