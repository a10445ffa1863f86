import type { Auth } from "firebase-admin/auth";
import { ErrorCode, TokenServiceError } from "../errors.js";
import { withTimeout } from "../timeout.js";

/**
 * The framework has already checked the ID token's signature and expiry. This adds what it does
 * not check: that the session was not revoked (revokeRefreshTokens) and the account is not
 * disabled, so that a fired driver is cut off at once instead of when their ID token expires.
 */
export interface IdTokenVerifier {
  /** Throws unauthenticated for a revoked session or a disabled account. */
  assertSessionActive(rawToken: string, uid: string): Promise<void>;
}

export const DEFAULT_AUTH_TIMEOUT_MS = 5000;

// firebase-admin error codes that mean "this caller is not signed in any more".
const SESSION_ENDED: Readonly<Record<string, string>> = {
  "auth/id-token-revoked": "token-revoked",
  "auth/user-disabled": "user-disabled",
  "auth/user-not-found": "user-deleted",
  "auth/id-token-expired": "token-expired",
  "auth/invalid-id-token": "token-invalid",
  "auth/argument-error": "token-invalid",
};

export class FirebaseIdTokenVerifier implements IdTokenVerifier {
  readonly #auth: () => Promise<Auth>;
  readonly #timeoutMs: number;

  constructor(auth: () => Promise<Auth>, timeoutMs = DEFAULT_AUTH_TIMEOUT_MS) {
    this.#auth = auth;
    this.#timeoutMs = timeoutMs;
  }

  async assertSessionActive(rawToken: string, uid: string): Promise<void> {
    let decodedUid: string;
    try {
      const verify = this.#auth().then((auth) => auth.verifyIdToken(rawToken, true));
      decodedUid = (
        await withTimeout(
          verify,
          this.#timeoutMs,
          () =>
            new TokenServiceError(ErrorCode.BackendUnavailable, "Auth lookup timed out", {
              details: { reason: "auth-timeout", timeoutMs: this.#timeoutMs },
            }),
        )
      ).uid;
    } catch (error) {
      throw toServiceError(error);
    }
    if (decodedUid !== uid) {
      throw new TokenServiceError(ErrorCode.Unauthenticated, "ID token subject mismatch", {
        details: { reason: "token-invalid" },
      });
    }
  }
}

function toServiceError(error: unknown): TokenServiceError {
  if (error instanceof TokenServiceError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const reason = typeof code === "string" ? SESSION_ENDED[code] : undefined;
  if (reason !== undefined) {
    return new TokenServiceError(ErrorCode.Unauthenticated, `session ended: ${reason}`, {
      cause: error,
      details: { reason },
    });
  }
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
