import type { CallContext } from "../deadline.js";
import type { FleetEngineClaims } from "../token/claims.js";
import type { TokenType } from "../token-types.js";

/**
 * Signs Fleet Engine claims as one service account. The JWT header (RS256, typ JWT, kid) is the
 * signer's business: IAM writes it for Google-managed keys, the dev-key signer writes it itself.
 */
export interface Signer {
  /** The email of the service account whose key signs; it becomes `iss` and `sub`. */
  accountEmail(context?: CallContext): Promise<string>;
  /**
   * Returns the compact JWS of exactly `claims`. Never signs once `context`'s deadline has
   * passed, however late a wait below it answers.
   */
  signJwt(claims: FleetEngineClaims, context?: CallContext): Promise<string>;
}

/** The signer for each token type (types may share one). */
export interface SignerSet {
  forType(type: TokenType): Signer;
}
