import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallableSettings } from "../../src/config/index.js";
import type { HandlerDeps } from "../../src/handler.js";
import { createLogs } from "../../src/logs.js";
import { DevKeySigner, EMULATOR_ENV } from "../../src/signing/dev-key-signer.js";
import { CapturedLogs } from "../support/capture-logs.js";
import { createThrowawayKey } from "../support/keys.js";
import { MemoryAssignments } from "../support/memory-assignments.js";
import { verifyFleetEngineToken } from "../support/verify.js";

/**
 * The real firebase-functions callable (App Check enforcement, CORS, the HttpsError wire
 * format), served over HTTP in-process with enforcement both on and off: the emulator run can
 * only have one setting. Like the Functions emulator, token signatures are not verified
 * (FIREBASE_DEBUG_MODE + skipTokenVerification, read by firebase-functions when it loads, so
 * everything from firebase-functions is imported after these are set).
 */
process.env.FIREBASE_DEBUG_MODE = "true";
process.env.FIREBASE_DEBUG_FEATURES = JSON.stringify({ skipTokenVerification: true });
process.env.GCLOUD_PROJECT = "demo-test";

const key = createThrowawayKey("callable@demo-test.iam.gserviceaccount.com");
const unsigned = (payload: Record<string, unknown>): string =>
  [{ alg: "none", typ: "JWT" }, payload]
    .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
    .join(".") + ".";
const now = Math.floor(Date.now() / 1000);
const ID_TOKEN = unsigned({
  sub: "rider",
  uid: "rider",
  iat: now,
  exp: now + 3600,
  aud: "demo-test",
});
const APP_CHECK = unsigned({ sub: "1:1:web:1", iat: now, exp: now + 3600 });

const servers: Server[] = [];

async function serve(settings: CallableSettings): Promise<string> {
  const express = (await import("express")).default;
  const { createTokenCallable } = await import("../../src/callable.js");
  const assignments = new MemoryAssignments();
  assignments.trips.set("trip-1", { consumerUids: ["rider"] });
  const signer = new DevKeySigner(key.file, EMULATOR_ENV);
  const deps: HandlerDeps = {
    clock: { nowMillis: () => Date.now() },
    logs: createLogs(new CapturedLogs()),
    services: async () => ({
      ttlSeconds: 600,
      checkRevokedTokens: false,
      sessions: { currentSession: async () => ({ customClaims: {} }) },
      assignments,
      signers: { forType: () => signer },
    }),
  };
  const callable = createTokenCallable(settings, async () => deps);
  const app = express();
  app.use(express.json());
  // The Functions Framework hands the callable an express request (plus rawBody, unused here).
  app.all("/", (req, res) => void callable(req as unknown as Parameters<typeof callable>[0], res));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

interface Answer {
  status: number;
  body: { result?: { token: string; authorization: Record<string, string> }; error?: unknown };
}

async function call(url: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${ID_TOKEN}`,
      ...headers,
    },
    body: JSON.stringify({ data: { type: "consumer", tripId: "trip-1" } }),
  });
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}

let enforced: string;
let open: string;
let restricted: string;

beforeAll(async () => {
  enforced = await serve({ enforceAppCheck: true, consumeAppCheckToken: false, cors: true });
  open = await serve({ enforceAppCheck: false, consumeAppCheckToken: false, cors: true });
  restricted = await serve({
    enforceAppCheck: true,
    consumeAppCheckToken: false,
    cors: ["https://dispatch.example.com"],
  });
});

afterAll(() => {
  for (const server of servers) server.close();
});

describe("the callable's App Check setting", () => {
  it("refuses a call without an App Check token when enforcement is on", async () => {
    const answer = await call(enforced, {});
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      error: { message: "Unauthenticated", status: "UNAUTHENTICATED" },
    });
  });

  it("accepts the same call with an App Check token", async () => {
    const answer = await call(enforced, { "x-firebase-appcheck": APP_CHECK });
    expect(answer.status).toBe(200);
    await verifyFleetEngineToken(answer.body.result!.token, key.publicKey, {
      account: key.email,
      keyId: key.keyId,
      authorization: { tripid: "trip-1" },
      ttlSeconds: 600,
      issuedBetween: [now - 1, now + 60],
    });
  });

  it("accepts a call without an App Check token when enforcement is off", async () => {
    const answer = await call(open, {});
    expect(answer.status).toBe(200);
    expect(answer.body.result?.authorization).toEqual({ tripid: "trip-1" });
  });
});

describe("the callable's CORS setting", () => {
  async function preflight(url: string, origin: string): Promise<string | null> {
    const response = await fetch(url, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    return response.headers.get("access-control-allow-origin");
  }

  it("allows any origin by default (CORS_ORIGINS=*)", async () => {
    expect(await preflight(enforced, "https://anything.example.net")).toBe(
      "https://anything.example.net",
    );
  });

  it("allows only the configured origins when CORS_ORIGINS lists some", async () => {
    expect(await preflight(restricted, "https://dispatch.example.com")).toBe(
      "https://dispatch.example.com",
    );
    expect(await preflight(restricted, "https://evil.example.net")).toBeNull();
  });
});
