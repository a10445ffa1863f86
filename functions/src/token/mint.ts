import type { TokenCache } from "../cache/token-cache.js";
import type { Clock } from "../clock.js";
import { NO_DEADLINE, type CallContext } from "../deadline.js";
import type { Entitlement } from "../entitlement/entitle.js";
import type { Signer } from "../signing/signer.js";
import type { TokenType } from "../token-types.js";
import { authorizationFor, buildClaims, type AuthorizationClaim } from "./claims.js";

/** A signed token and the facts a client needs to cache it. */
export interface MintedToken {
  readonly token: string;
  readonly type: TokenType;
  readonly authorization: AuthorizationClaim;
  /** The service account that signed it (`iss`/`sub`). */
  readonly account: string;
  /** `iat` and `exp` of the token returned, seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Whether an earlier signature was reused. */
  readonly cached: boolean;
}

export interface MintOptions {
  signer: Signer;
  clock: Clock;
  ttlSeconds: number;
  /** Reuses signatures of identical claim sets; absent = always sign. */
  cache?: TokenCache | undefined;
  /** The call's deadline: nothing is signed once it has passed. */
  context?: CallContext;
}

/**
 * Signs (or reuses a signature of) a token for exactly what `entitlement` allows. Knows nothing
 * of who the caller is: entitlement was decided before this is called.
 */
export async function mintToken(
  entitlement: Entitlement,
  options: MintOptions,
): Promise<MintedToken> {
  const context = options.context ?? NO_DEADLINE;
  const account = await options.signer.accountEmail(context);
  const authorization = authorizationFor(
    entitlement.type,
    entitlement.resourceId,
    entitlement.taskId,
  );
  // With the cache, `signing` is the signature's own bound, shared by the callers who wait for
  // it (cache/token-cache.ts); without it, this call's deadline.
  const sign = async (signing: CallContext) => {
    signing.throwIfExpired();
    const claims = buildClaims(
      account,
      authorization,
      options.clock.nowMillis(),
      options.ttlSeconds,
    );
    return {
      token: await options.signer.signJwt(claims, signing),
      issuedAt: claims.iat,
      expiresAt: claims.exp,
    };
  };
  const { token, cached } = options.cache
    ? await options.cache.getOrSign(
        cacheKey(account, authorization, options.ttlSeconds),
        sign,
        context,
      )
    : { token: await sign(context), cached: false };
  context.throwIfExpired();
  return {
    token: token.token,
    type: entitlement.type,
    authorization,
    account,
    issuedAt: token.issuedAt,
    expiresAt: token.expiresAt,
    cached,
  };
}

/**
 * Everything that makes two tokens interchangeable: the signing account (iss, sub), the
 * lifetime, and the authorization claim; the audience is a constant. `authorizationFor` builds
 * claims with a fixed key order, so JSON is a canonical form here.
 */
function cacheKey(account: string, authorization: AuthorizationClaim, ttlSeconds: number): string {
  return JSON.stringify([account, ttlSeconds, authorization]);
}
