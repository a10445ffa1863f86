import type { TokenType } from "../token-types.js";

/**
 * What the callable answers. Its own small module, because it is the public type of the
 * function kit package: the kit's .d.ts is this module's declaration and what it imports.
 */

/** The private `authorization` claim: lower-case keys, string values. */
export type AuthorizationClaim = Readonly<Record<string, string>>;

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
