import type { Auth } from "firebase-admin/auth";
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../src/errors.js";
import { FirebaseIdTokenVerifier } from "../../../src/identity/id-token-verifier.js";

/** A stand-in for firebase-admin's Auth that records verifyIdToken calls (the emulator cannot
 * show the `checkRevoked` flag: there firebase-admin checks revocation even without it). */
function fakeAuth(answer: () => Promise<{ uid: string }>) {
  const calls: unknown[][] = [];
  const auth = {
    verifyIdToken: (...args: unknown[]) => {
      calls.push(args);
      return answer();
    },
  } as unknown as Auth;
  return { auth: async () => auth, calls };
}

const authError = (code: string) => Object.assign(new Error(code), { code });

describe("FirebaseIdTokenVerifier", () => {
  it("asks firebase-admin to check revocation and disabled accounts (checkRevoked = true)", async () => {
    const { auth, calls } = fakeAuth(async () => ({ uid: "u1" }));
    await new FirebaseIdTokenVerifier(auth).assertSessionActive("raw-token", "u1");
    expect(calls).toEqual([["raw-token", true]]);
  });

  it.each([
    ["auth/id-token-revoked", "token-revoked"],
    ["auth/user-disabled", "user-disabled"],
    ["auth/user-not-found", "user-deleted"],
    ["auth/id-token-expired", "token-expired"],
  ])("maps %s to unauthenticated (%s)", async (code, reason) => {
    const { auth } = fakeAuth(() => Promise.reject(authError(code)));
    await expect(
      new FirebaseIdTokenVerifier(auth).assertSessionActive("t", "u1"),
    ).rejects.toMatchObject({
      code: ErrorCode.Unauthenticated,
      details: { reason },
    });
  });

  it("refuses a token whose subject is not the caller", async () => {
    const { auth } = fakeAuth(async () => ({ uid: "someone-else" }));
    await expect(
      new FirebaseIdTokenVerifier(auth).assertSessionActive("t", "u1"),
    ).rejects.toMatchObject({
      code: ErrorCode.Unauthenticated,
    });
  });

  it("reports a missing Auth permission as misconfiguration", async () => {
    const { auth } = fakeAuth(() => Promise.reject(authError("auth/insufficient-permission")));
    await expect(
      new FirebaseIdTokenVerifier(auth).assertSessionActive("t", "u1"),
    ).rejects.toMatchObject({
      code: ErrorCode.Misconfigured,
    });
  });

  it("gives unavailable when the Auth backend fails or hangs", async () => {
    const failing = fakeAuth(() => Promise.reject(authError("auth/internal-error")));
    await expect(
      new FirebaseIdTokenVerifier(failing.auth).assertSessionActive("t", "u1"),
    ).rejects.toMatchObject({
      code: ErrorCode.BackendUnavailable,
    });
    const hanging = fakeAuth(() => new Promise(() => undefined));
    await expect(
      new FirebaseIdTokenVerifier(hanging.auth, 50).assertSessionActive("t", "u1"),
    ).rejects.toMatchObject({
      code: ErrorCode.BackendUnavailable,
      details: { reason: "auth-timeout" },
    });
  });
});
