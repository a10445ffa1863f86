import { decodeJwt, decodeProtectedHeader } from "jose";

/** A JWT's header and claims, decoded for display. Decoding is not verifying: Fleet Engine does that. */
export interface DecodedToken {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly issuedAtMillis: number | undefined;
  readonly expiresAtMillis: number | undefined;
}

export function decodeToken(token: string): DecodedToken {
  const claims = decodeJwt(token);
  return {
    header: decodeProtectedHeader(token),
    claims,
    issuedAtMillis: claims.iat === undefined ? undefined : claims.iat * 1000,
    expiresAtMillis: claims.exp === undefined ? undefined : claims.exp * 1000,
  };
}
