import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { SignJWT, exportJWK, generateKeyPair, type JWK } from "jose";
import { FAKE_ACCESS_TOKEN } from "./fake-metadata-server.js";
import { sendJson, startRecordingServer, type RecordedRequest } from "./http-server.js";

/** What the fake answers to one signJwt call. */
export type IamBehaviour =
  | { kind: "sign" }
  | { kind: "status"; status: number; message?: string }
  | { kind: "hang" }
  | { kind: "delay"; ms: number }
  | { kind: "answer"; body: unknown };

const SIGN_JWT_PATH = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):signJwt$/;

/**
 * IAM Credentials `signJwt`, as far as our signer uses it. It checks what it receives (path,
 * method, bearer token, body) and answers 400 to anything else, signs with its own key under a
 * fresh `kid` like IAM's Google-managed keys, and can be told to fail, hang or lie.
 */
export async function startFakeIamServer() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const keyId = randomBytes(20).toString("hex");
  const behaviours: IamBehaviour[] = [];
  let fallback: IamBehaviour = { kind: "sign" };
  const problems: string[] = [];
  let signed = 0;

  const server = await startRecordingServer(async (request, response) => {
    const problem = checkRequest(request);
    if (problem !== undefined) {
      problems.push(problem);
      sendJson(response, 400, {
        error: { code: 400, message: problem, status: "INVALID_ARGUMENT" },
      });
      return;
    }
    const behaviour = behaviours.shift() ?? fallback;
    await answer(behaviour, request, response);
  });

  async function answer(
    behaviour: IamBehaviour,
    request: RecordedRequest,
    response: ServerResponse,
  ): Promise<void> {
    switch (behaviour.kind) {
      case "hang":
        return; // never answer; the client's timeout must fire
      case "status":
        sendJson(response, behaviour.status, {
          error: {
            code: behaviour.status,
            message: behaviour.message ?? `fake IAM answers ${behaviour.status}`,
            status: behaviour.status === 403 ? "PERMISSION_DENIED" : "UNAVAILABLE",
          },
        });
        return;
      case "answer":
        sendJson(response, 200, behaviour.body);
        return;
      case "delay":
        await new Promise((resolve) => setTimeout(resolve, behaviour.ms));
        sendJson(response, 200, await sign(request));
        return;
      case "sign":
        sendJson(response, 200, await sign(request));
        return;
    }
  }

  async function sign(request: RecordedRequest): Promise<{ keyId: string; signedJwt: string }> {
    const payload = JSON.parse((JSON.parse(request.body) as { payload: string }).payload) as Record<
      string,
      unknown
    >;
    signed++;
    const signedJwt = await new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", kid: keyId, typ: "JWT" })
      .sign(privateKey);
    return { keyId, signedJwt };
  }

  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: keyId, alg: "RS256" };
  return {
    ...server,
    keyId,
    publicKey,
    jwk,
    /** Requests the fake refused as malformed; a correct client makes none. */
    problems,
    signedCount: () => signed,
    /** What to do once the queue is empty (default: sign at once). */
    setDefault: (behaviour: IamBehaviour) => {
      fallback = behaviour;
    },
    /** Forgets queued behaviours and recorded requests, between tests. */
    reset: () => {
      behaviours.length = 0;
      fallback = { kind: "sign" };
      server.requests.length = 0;
      problems.length = 0;
    },
    /** Queue behaviours for the next calls, in order; afterwards it signs. */
    enqueue: (...next: IamBehaviour[]) => behaviours.push(...next),
    /** The account named in the URL of request `index`. */
    accountOf: (request: RecordedRequest) =>
      decodeURIComponent(SIGN_JWT_PATH.exec(request.url.split("?")[0] ?? "")?.[1] ?? ""),
  };
}

function checkRequest(request: RecordedRequest): string | undefined {
  if (request.method !== "POST") return `method ${request.method} is not POST`;
  const path = request.url.split("?")[0] ?? "";
  if (!SIGN_JWT_PATH.test(path)) return `unexpected path ${path}`;
  if (request.headers.authorization !== `Bearer ${FAKE_ACCESS_TOKEN}`) {
    return "missing or wrong bearer token";
  }
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return "body is not JSON";
  }
  if (typeof body !== "object" || body === null) return "body is not an object";
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== "payload") return `unexpected body keys ${keys.join(",")}`;
  const payload = (body as { payload: unknown }).payload;
  if (typeof payload !== "string") return "payload is not a string";
  try {
    JSON.parse(payload);
  } catch {
    return "payload is not a JSON claim set";
  }
  return undefined;
}

export type FakeIamServer = Awaited<ReturnType<typeof startFakeIamServer>>;
