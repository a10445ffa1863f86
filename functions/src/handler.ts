import type { TokenCache } from "./cache/token-cache.js";
import type { Clock } from "./clock.js";
import type { FieldPaths } from "./config/data-model.js";
import { CALL_DEADLINE_MS, CallDeadline } from "./deadline.js";
import { isDocumentId, type AssignmentRepository } from "./entitlement/assignments.js";
import { deny, entitle, lookUpFacts } from "./entitlement/entitle.js";
import type { Session, SessionChecker } from "./identity/session.js";
import { ErrorCode, TokenServiceError, asTokenServiceError } from "./errors.js";
import type { Logs } from "./logs.js";
import { parseTokenRequest } from "./request.js";
import type { SignerSet } from "./signing/signer.js";
import { mintToken, type MintedToken } from "./token/mint.js";
import type { TokenResponse } from "./token/response.js";

export type { TokenResponse } from "./token/response.js";
import { TOKEN_TYPES, type TokenType } from "./token-types.js";

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

/** Everything that depends on configuration, built once per instance on first use. */
export interface Services {
  readonly ttlSeconds: number;
  /**
   * CHECK_REVOKED_TOKENS: look the caller up on every call (revocation, disabled account,
   * current custom claims). Off, claims come from the presented ID token.
   */
  readonly checkRevokedTokens: boolean;
  readonly sessions: SessionChecker;
  readonly assignments: AssignmentRepository;
  /** Where the facts live in their documents; absent = the default data model. */
  readonly fields?: FieldPaths;
  /** ENABLED_TOKEN_TYPES; absent = all types. */
  readonly enabledTypes?: readonly TokenType[];
  readonly signers: SignerSet;
  /** Reuse of signatures, per instance; absent = sign every token. */
  readonly cache?: TokenCache;
}

export interface HandlerDeps {
  readonly clock: Clock;
  readonly logs: Logs;
  /** Rejects with a misconfigured TokenServiceError when params are invalid. */
  services(): Promise<Services>;
  /** The bound on the whole call; CALL_DEADLINE_MS unless a test needs a shorter one. */
  readonly deadlineMs?: number;
}

/** What the one log line of a call says about it, filled in as the call learns it. */
interface CallFacts {
  uid?: string;
  type?: TokenType;
  resourceId?: string | undefined;
  taskId?: string | undefined;
}

interface SignedIn {
  readonly uid: string;
  /** The verified ID token's claims. */
  readonly token: Readonly<Record<string, unknown>>;
}

function requireCaller(auth: TokenCallRequest["auth"]): SignedIn {
  // The Functions emulator accepts any bearer token and may give a null uid: insist on one.
  const uid = auth?.uid;
  if (typeof uid !== "string" || uid === "") {
    throw new TokenServiceError(ErrorCode.Unauthenticated, "no signed-in caller", {
      details: { reason: "no-auth" },
    });
  }
  return { uid, token: auth?.token ?? {} };
}

/**
 * The whole flow of one call, under one deadline: caller, request, then the session (one Auth
 * lookup) and the facts (the Firestore reads the decision needs: at most one, or a driver and a
 * task read side by side for a trusted driver who names a task) side by side, entitlement,
 * mint, respond.
 * Exactly one log entry per call, whatever the outcome, written here and only here: work that
 * outlives the deadline can neither log nor sign. Knows nothing of firebase-functions beyond the
 * request shape.
 */
export async function handleGetFleetEngineToken(
  request: TokenCallRequest,
  deps: HandlerDeps,
): Promise<TokenResponse> {
  const deadline = new CallDeadline(deps.deadlineMs ?? CALL_DEADLINE_MS);
  const call: CallFacts = {};
  try {
    const minted = await deadline.bound(decideAndMint(request, deps, deadline, call));
    const nowSeconds = Math.floor(deps.clock.nowMillis() / 1000);
    deps.logs.issued({
      uid: call.uid ?? "",
      type: minted.type,
      resourceId: call.resourceId,
      taskId: call.taskId,
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
      uid: call.uid,
      type: call.type,
      resourceId: call.resourceId,
      taskId: call.taskId,
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
  } finally {
    deadline.dispose();
  }
}

async function decideAndMint(
  request: TokenCallRequest,
  deps: HandlerDeps,
  deadline: CallDeadline,
  call: CallFacts,
): Promise<MintedToken> {
  const signedIn = requireCaller(request.auth);
  call.uid = signedIn.uid;
  if (request.app?.alreadyConsumed === true) {
    // Replay protection is on and this App Check token was used before: a replayed request.
    throw new TokenServiceError(ErrorCode.Unauthenticated, "App Check token already consumed", {
      details: { reason: "app-check-token-replayed" },
    });
  }
  const tokenRequest = parseTokenRequest(request.data);
  call.type = tokenRequest.type;
  call.resourceId = tokenRequest.resourceId;
  call.taskId = tokenRequest.taskId;

  const services = await deadline.step("config", () => deps.services());
  if (!(services.enabledTypes ?? TOKEN_TYPES).includes(tokenRequest.type)) {
    throw deny("type-disabled", tokenRequest.resourceId);
  }
  // The uid names the caller's driver document: it must be one document ID, never a path.
  if (!isDocumentId(signedIn.uid)) throw deny("uid-not-document-id", tokenRequest.resourceId);

  // The session check and the read do not depend on each other: run them side by side.
  const session: Promise<Session> = services.checkRevokedTokens
    ? deadline.step("auth-lookup", () =>
        services.sessions.currentSession(signedIn.uid, signedIn.token.auth_time),
      )
    : Promise.resolve({ customClaims: signedIn.token });
  const facts = deadline.step("firestore-read", () =>
    lookUpFacts(signedIn.uid, tokenRequest, services.assignments),
  );
  facts.catch(() => undefined); // awaited below, after the session, which must answer first
  // A revoked session or disabled account wins over whatever the reads found or failed with:
  // such a caller learns nothing about assignments.
  const { customClaims } = await session;
  // Entitlement first, always: nothing below runs for a caller who may not have the token.
  const entitlement = entitle(
    { uid: signedIn.uid, claims: customClaims },
    tokenRequest,
    await facts,
    services.fields,
  );
  call.resourceId = entitlement.resourceId;
  return mintToken(entitlement, {
    signer: services.signers.forType(entitlement.type),
    clock: deps.clock,
    ttlSeconds: services.ttlSeconds,
    cache: services.cache,
    context: deadline,
  });
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
