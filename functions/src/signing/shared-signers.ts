import { TOKEN_TYPE_SPECS, type TokenType } from "../token-types.js";

/**
 * Which enabled token types one account signs, decided the same way by the deployed function
 * (a WARNING once per instance, runtime.ts) and by `npm run doctor` (a FAIL): one implementation,
 * so that neither misses what the other sees.
 *
 * Fleet Engine checks a token against every role of the account that signed it, not against the
 * token type: when a rider's consumer token is signed by an account that also holds
 * driverSdkUser, that token carries driver powers. Sharing is harmless only between types with
 * the same role.
 */

/** Token types whose Fleet Engine roles differ but whose tokens one account signs. */
export interface SharedSigner {
  /** The signing account, or undefined for the function's runtime service account. */
  readonly account: string | undefined;
  readonly types: readonly TokenType[];
  /** The distinct Fleet Engine roles those types need, all held by that one account. */
  readonly roles: readonly string[];
}

export interface SigningAccounts {
  readonly enabledTypes: readonly TokenType[];
  /** The *_SIGNER_ACCOUNT params; undefined = the runtime account. */
  readonly signerAccounts: Readonly<Record<TokenType, string | undefined>>;
  /**
   * The runtime account's email when known: RUNTIME_SERVICE_ACCOUNT as the deploy resolves it
   * (config/runtime-account.ts), or the email the function discovered from the metadata server.
   * Undefined: the Compute Engine default account, not yet known by name.
   */
  readonly runtimeAccount: string | undefined;
}

/** The Compute Engine default service account, the platform's default runtime account. */
const DEFAULT_COMPUTE_ACCOUNT = /^\d+-compute@developer\.gserviceaccount\.com$/;

export function isDefaultComputeAccount(email: string): boolean {
  return DEFAULT_COMPUTE_ACCOUNT.test(email);
}

/**
 * The signing account of each enabled type as it really is: a param naming the runtime account
 * itself is the runtime account, like an empty one; so is a param naming a Compute Engine default
 * account while the runtime account is not known by name (RUNTIME_SERVICE_ACCOUNT empty: the
 * function then runs as its project's Compute Engine default account, most likely that one).
 */
export function findSharedSigners(input: SigningAccounts): SharedSigner[] {
  const byAccount = new Map<string, TokenType[]>();
  for (const type of input.enabledTypes) {
    const named = input.signerAccounts[type];
    const isRuntime =
      named === undefined ||
      named === input.runtimeAccount ||
      (input.runtimeAccount === undefined && isDefaultComputeAccount(named));
    const key = isRuntime ? "" : named;
    byAccount.set(key, [...(byAccount.get(key) ?? []), type]);
  }
  const shared: SharedSigner[] = [];
  for (const [key, types] of byAccount) {
    const roles = [...new Set(types.map((type) => TOKEN_TYPE_SPECS[type].fleetEngineRole))];
    if (roles.length > 1) shared.push({ account: key === "" ? undefined : key, types, roles });
  }
  return shared;
}
