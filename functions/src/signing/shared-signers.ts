import { TOKEN_TYPE_SPECS, type TokenType } from "../token-types.js";

/** Token types whose Fleet Engine roles differ but whose tokens one account signs. */
export interface SharedSigner {
  /** The signing account, or undefined for the function's runtime service account. */
  readonly account: string | undefined;
  readonly types: readonly TokenType[];
  /** The distinct Fleet Engine roles those types need, all held by that one account. */
  readonly roles: readonly string[];
}

/**
 * Fleet Engine checks a token against every role of the account that signed it, not against
 * the token type: when a rider's consumer token is signed by an account that also holds
 * driverSdkUser, that token carries driver powers. Sharing is harmless only between types with
 * the same role.
 */
export function findSharedSigners(
  enabledTypes: readonly TokenType[],
  signerAccounts: Readonly<Record<TokenType, string | undefined>>,
): SharedSigner[] {
  const byAccount = new Map<string, TokenType[]>();
  for (const type of enabledTypes) {
    const key = signerAccounts[type] ?? "";
    byAccount.set(key, [...(byAccount.get(key) ?? []), type]);
  }
  const shared: SharedSigner[] = [];
  for (const [key, types] of byAccount) {
    const roles = [...new Set(types.map((type) => TOKEN_TYPE_SPECS[type].fleetEngineRole))];
    if (roles.length > 1) shared.push({ account: key === "" ? undefined : key, types, roles });
  }
  return shared;
}
