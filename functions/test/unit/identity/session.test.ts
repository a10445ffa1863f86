import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorCode } from "../../../src/errors.js";
import { FirebaseSessionChecker } from "../../../src/identity/session.js";
import { sendJson, startRecordingServer } from "../../support/http-server.js";

/**
 * The real firebase-admin Auth client, with only its HTTP layer faked: a loopback server that
 * answers `accounts:lookup` (the one Auth call per session check) from a table of users.
 */

interface FakeUser {
  localId: string;
  disabled?: boolean;
  /** Seconds since the epoch, as a string, like the real API. */
  validSince?: string;
  customAttributes?: string;
}

const users = new Map<string, FakeUser>();
let behaviour: "answer" | "hang" | "forbidden" = "answer";
let server: Awaited<ReturnType<typeof startRecordingServer>>;
let checker: FirebaseSessionChecker;

beforeAll(async () => {
  server = await startRecordingServer((request, response) => {
    if (behaviour === "hang") return;
    if (behaviour === "forbidden") {
      sendJson(response, 403, {
        error: { code: 403, message: "INSUFFICIENT_PERMISSION", status: "PERMISSION_DENIED" },
      });
      return;
    }
    const { localId } = JSON.parse(request.body) as { localId: string[] };
    const found = localId.flatMap((uid) => {
      const user = users.get(uid);
      return user ? [user] : [];
    });
    sendJson(response, 200, found.length > 0 ? { users: found } : {});
  });
  vi.stubEnv("FIREBASE_AUTH_EMULATOR_HOST", server.host);
  const auth = getAuth(initializeApp({ projectId: "demo-session" }, "session-test"));
  checker = new FirebaseSessionChecker(async () => auth, 300);
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  vi.stubEnv("FIREBASE_AUTH_EMULATOR_HOST", server.host);
  users.clear();
  behaviour = "answer";
  server.requests.length = 0;
});

const AUTH_TIME = 1_800_000_000;

describe("FirebaseSessionChecker", () => {
  it("returns the CURRENT custom claims from the user record, in one lookup", async () => {
    users.set("op", { localId: "op", customAttributes: JSON.stringify({ fleetReader: true }) });
    expect(await checker.currentSession("op", AUTH_TIME)).toEqual({
      customClaims: { fleetReader: true },
    });
    users.set("op", { localId: "op", customAttributes: "{}" }); // demoted
    expect(await checker.currentSession("op", AUTH_TIME)).toEqual({ customClaims: {} });
    users.set("plain", { localId: "plain" });
    expect(await checker.currentSession("plain", AUTH_TIME)).toEqual({ customClaims: {} });
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((request) => request.url)).toEqual(
      Array(3).fill(expect.stringMatching(/\/projects\/demo-session\/accounts:lookup$/)),
    );
  });

  it("refuses a session revoked after the ID token was issued", async () => {
    users.set("u", { localId: "u", validSince: String(AUTH_TIME + 1) });
    await expect(checker.currentSession("u", AUTH_TIME)).rejects.toMatchObject({
      code: ErrorCode.Unauthenticated,
      details: { reason: "token-revoked" },
    });
    // Signed in again after the revocation: a valid session.
    expect(await checker.currentSession("u", AUTH_TIME + 1)).toEqual({ customClaims: {} });
  });

  it.each([
    ["a disabled account", { localId: "u", disabled: true }, "user-disabled"],
    ["a deleted account", undefined, "user-deleted"],
  ])("refuses %s", async (_, user, reason) => {
    if (user) users.set("u", user);
    await expect(checker.currentSession("u", AUTH_TIME)).rejects.toMatchObject({
      code: ErrorCode.Unauthenticated,
      details: { reason },
    });
  });

  it.each([undefined, "1800000000", Number.NaN])(
    "refuses an ID token whose auth_time is %j, without a lookup",
    async (authTime) => {
      await expect(checker.currentSession("u", authTime)).rejects.toMatchObject({
        code: ErrorCode.Unauthenticated,
        details: { reason: "token-invalid" },
      });
      expect(server.requests).toHaveLength(0);
    },
  );

  it("reports a refused lookup as misconfiguration naming the permission", async () => {
    behaviour = "forbidden";
    await expect(checker.currentSession("u", AUTH_TIME)).rejects.toMatchObject({
      code: ErrorCode.Misconfigured,
      details: { reason: "auth-access", permission: "firebaseauth.users.get" },
    });
  });

  it("gives unavailable when Auth hangs", async () => {
    behaviour = "hang";
    await expect(checker.currentSession("u", AUTH_TIME)).rejects.toMatchObject({
      code: ErrorCode.BackendUnavailable,
      details: { reason: "auth-timeout" },
    });
  });
});
