import type { Clock } from "../clock.js";
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
  /** `iat` and `exp`, seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Whether an earlier signature was reused (see cache/token-cache.ts). */
  readonly cached: boolean;
}

export interface MintOptions {
  signer: Signer;
  clock: Clock;
  ttlSeconds: number;
}

/** Signs a token for exactly what `entitlement` allows. Knows nothing of who the caller is. */
export async function mintToken(
  entitlement: Entitlement,
  options: MintOptions,
): Promise<MintedToken> {
  const account = await options.signer.accountEmail();
  const authorization = authorizationFor(entitlement.type, entitlement.resourceId);
  const claims = buildClaims(account, authorization, options.clock.nowMillis(), options.ttlSeconds);
  const token = await options.signer.signJwt(claims);
  return {
    token,
    type: entitlement.type,
    authorization,
    account,
    issuedAt: claims.iat,
    expiresAt: claims.exp,
    cached: false,
  };
}
