import type { TokenCache } from "./cache/token-cache.js";
import type { Clock } from "./clock.js";
import { entitle, type Caller } from "./entitlement/entitle.js";
import type { AssignmentRepository } from "./entitlement/assignments.js";
import type { IdTokenVerifier } from "./identity/id-token-verifier.js";
import { ErrorCode, TokenServiceError, asTokenServiceError } from "./errors.js";
import type { Logs } from "./logs.js";
import { parseTokenRequest } from "./request.js";
import type { SignerSet } from "./signing/signer.js";
import type { AuthorizationClaim } from "./token/claims.js";
import { mintToken } from "./token/mint.js";
import type { TokenType } from "./token-types.js";

/** The parts of a firebase-functions CallableRequest the handler reads. */
export interface TokenCallRequest {
  readonly data: unknown;
  /** App Check data; `alreadyConsumed` is set only when replay protection is on. */
  readonly app?: { readonly alreadyConsumed?: boolean } | undefined;
  readonly auth?:
    | {
        readonly uid?: string | null;
        readonly token?: Readonly<Record<string, unknown>>;
        readonly rawToken?: string;
      }
    | undefined;
}

/** What the callable returns. */
export interface TokenResponse {
  /** The Fleet Engine JWT. */
  readonly token: string;
  readonly type: TokenType;
  /** The token's `authorization` claim, so clients need not decode the JWT. */
  readonly authorization: AuthorizationClaim;
  /** Whole SECONDS until the token expires (the Maps JavaScript `AuthToken` contract). */
  readonly expiresInSeconds: number;
  /** Absolute expiry, milliseconds since the epoch, for mobile caches. */
  readonly expiresAtMillis: number;
}

/** Everything that depends on configuration, built once per instance on first use. */
export interface Services {
  readonly ttlSeconds: number;
  /** Whether to look up revocation and disabled accounts (CHECK_REVOKED_TOKENS). */
  readonly checkRevokedTokens: boolean;
  readonly idTokens: IdTokenVerifier;
  readonly assignments: AssignmentRepository;
  readonly signers: SignerSet;
  /** Reuse of signatures, per instance; absent = sign every token. */
  readonly cache?: TokenCache;
}

export interface HandlerDeps {
  readonly clock: Clock;
  readonly logs: Logs;
  /** Rejects with a misconfigured TokenServiceError when params are invalid. */
  services(): Promise<Services>;
}

function requireCaller(auth: TokenCallRequest["auth"]): Caller {
  // The Functions emulator accepts any bearer token and may give a null uid: insist on one.
  const uid = auth?.uid;
  if (typeof uid !== "string" || uid === "") {
    throw new TokenServiceError(ErrorCode.Unauthenticated, "no signed-in caller", {
      details: { reason: "no-auth" },
    });
  }
  return { uid, claims: auth?.token ?? {} };
}

/**
 * The whole flow of one call: caller, request, session (revocation), entitlement, mint, respond.
 * Exactly one log entry per call, whatever the outcome. Knows nothing of firebase-functions
 * beyond the request shape.
 */
export async function handleGetFleetEngineToken(
  request: TokenCallRequest,
  deps: HandlerDeps,
): Promise<TokenResponse> {
  let uid: string | undefined;
  let type: TokenType | undefined;
  let resourceId: string | undefined;
  try {
    const caller = requireCaller(request.auth);
    uid = caller.uid;
    if (request.app?.alreadyConsumed === true) {
      // Replay protection is on and this App Check token was used before: a replayed request.
      throw new TokenServiceError(ErrorCode.Unauthenticated, "App Check token already consumed", {
        details: { reason: "app-check-token-replayed" },
      });
    }
    const tokenRequest = parseTokenRequest(request.data);
    type = tokenRequest.type;
    resourceId = tokenRequest.resourceId;

    const services = await deps.services();
    if (services.checkRevokedTokens) {
      await services.idTokens.assertSessionActive(request.auth?.rawToken ?? "", caller.uid);
    }
    // Entitlement first, always: nothing below runs for a caller who may not have the token.
    const entitlement = await entitle(caller, tokenRequest, services.assignments);
    resourceId = entitlement.resourceId;
    const minted = await mintToken(entitlement, {
      signer: services.signers.forType(entitlement.type),
      clock: deps.clock,
      ttlSeconds: services.ttlSeconds,
      cache: services.cache,
    });

    const nowSeconds = Math.floor(deps.clock.nowMillis() / 1000);
    deps.logs.issued({
      uid,
      type,
      resourceId,
      account: minted.account,
      exp: minted.expiresAt,
      cached: minted.cached,
    });
    return {
      token: minted.token,
      type: minted.type,
      authorization: minted.authorization,
      expiresInSeconds: Math.max(0, minted.expiresAt - nowSeconds),
      expiresAtMillis: minted.expiresAt * 1000,
    };
  } catch (thrown) {
    const error = asTokenServiceError(thrown);
    const event = {
      uid,
      type,
      resourceId,
      code: error.code,
      reason: String(error.details.reason ?? error.code),
      details: error.details,
    };
    if (
      error.code === ErrorCode.Unauthenticated ||
      error.code === ErrorCode.InvalidRequest ||
      error.code === ErrorCode.NotEntitled
    ) {
      deps.logs.denied(event);
    } else {
      deps.logs.failed({ ...event, message: describe(error) });
    }
    throw error;
  }
}

/** The error and its causes, one line; components never put secrets in messages. */
function describe(error: Error): string {
  const parts: string[] = [error.message];
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
    parts.push(cause.message);
    cause = cause.cause;
  }
  return parts.join(" <- ").slice(0, 1000);
}
