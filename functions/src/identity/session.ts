import type { Auth, UserRecord } from "firebase-admin/auth";
import { ErrorCode, TokenServiceError } from "../errors.js";
import { withTimeout } from "../timeout.js";

/**
 * The framework has already verified the caller's ID token (signature, expiry, audience). This
 * adds what the token alone cannot tell, with ONE Auth lookup (the user record): that the session
 * was not revoked (revokeRefreshTokens), that the account is not disabled or deleted, and what the
 * caller's custom claims are NOW. A fired driver is cut off at once, and a demoted operator stops
 * getting fleet-wide tokens at the next call, without waiting for their ID token to expire.
 */
export interface Session {
  /** The caller's current custom claims, from the user record (not from the ID token). */
  readonly customClaims: Readonly<Record<string, unknown>>;
}

export interface SessionChecker {
  /**
   * Throws unauthenticated for a revoked session, a disabled or deleted account, or an ID token
   * without a usable `auth_time`; otherwise returns the current session.
   */
  currentSession(uid: string, authTime: unknown): Promise<Session>;
}

export const DEFAULT_AUTH_TIMEOUT_MS = 5000;

function sessionEnded(reason: string, cause?: unknown): TokenServiceError {
  return new TokenServiceError(ErrorCode.Unauthenticated, `session ended: ${reason}`, {
    cause,
    details: { reason },
  });
}

export class FirebaseSessionChecker implements SessionChecker {
  readonly #auth: () => Promise<Auth>;
  readonly #timeoutMs: number;

  constructor(auth: () => Promise<Auth>, timeoutMs = DEFAULT_AUTH_TIMEOUT_MS) {
    this.#auth = auth;
    this.#timeoutMs = timeoutMs;
  }

  async currentSession(uid: string, authTime: unknown): Promise<Session> {
    // Every Firebase ID token has auth_time (seconds); without it revocation cannot be judged.
    if (typeof authTime !== "number" || !Number.isFinite(authTime)) {
      throw sessionEnded("token-invalid");
    }
    let user: UserRecord;
    try {
      const lookup = this.#auth().then((auth) => auth.getUser(uid));
      user = await withTimeout(
        lookup,
        this.#timeoutMs,
        () =>
          new TokenServiceError(ErrorCode.BackendUnavailable, "Auth lookup timed out", {
            details: { reason: "auth-timeout", timeoutMs: this.#timeoutMs },
          }),
      );
    } catch (error) {
      throw toServiceError(error);
    }
    if (user.disabled) throw sessionEnded("user-disabled");
    // The comparison firebase-admin's verifyIdToken(token, true) makes, in milliseconds.
    const validSince = user.tokensValidAfterTime ? Date.parse(user.tokensValidAfterTime) : NaN;
    if (!Number.isNaN(validSince) && authTime * 1000 < validSince) {
      throw sessionEnded("token-revoked");
    }
    return { customClaims: Object.freeze({ ...(user.customClaims ?? {}) }) };
  }
}

function toServiceError(error: unknown): TokenServiceError {
  if (error instanceof TokenServiceError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "auth/user-not-found") return sessionEnded("user-deleted", error);
  // Auth uids are 1 to 128 characters: a token whose uid the lookup refuses is no session.
  if (code === "auth/invalid-uid") return sessionEnded("token-invalid", error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === "auth/insufficient-permission" || code === "app/invalid-credential") {
    return new TokenServiceError(ErrorCode.Misconfigured, `Auth lookup refused: ${message}`, {
      cause: error,
      details: { reason: "auth-access", authCode: code, permission: "firebaseauth.users.get" },
    });
  }
  return new TokenServiceError(ErrorCode.BackendUnavailable, `Auth lookup failed: ${message}`, {
    cause: error,
    details: {
      reason: "auth-unavailable",
      ...(typeof code === "string" ? { authCode: code } : {}),
    },
  });
}
