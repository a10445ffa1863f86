import type { Config } from "../config/index.js";
import { TOKEN_TYPES, type TokenType } from "../token-types.js";
import { DevKeySigner } from "./dev-key-signer.js";
import { IamSigner, type IamCredentials, type RetryPolicy } from "./iam-signer.js";
import type { Signer, SignerSet } from "./signer.js";

/**
 * Production: each type is signed through IAM by its configured account, or by the runtime
 * account. Types that share an account share one signer.
 */
export function createIamSignerSet(
  config: Pick<Config, "signerAccounts">,
  credentials: IamCredentials,
  options: { baseUrl?: string; retry?: RetryPolicy } = {},
): SignerSet {
  const byAccount = new Map<string, Signer>();
  const byType = {} as Record<TokenType, Signer>;
  for (const type of TOKEN_TYPES) {
    const account = config.signerAccounts[type];
    const key = account ?? "";
    let signer = byAccount.get(key);
    if (signer === undefined) {
      signer = new IamSigner({
        ...options,
        credentials,
        ...(account === undefined ? {} : { account }),
      });
      byAccount.set(key, signer);
    }
    byType[type] = signer;
  }
  return { forType: (type) => byType[type] };
}

/** Functions emulator: one dev key stands in for every account. Refuses to run elsewhere. */
export function createDevKeySignerSet(keyFile: string): SignerSet {
  const signer = new DevKeySigner(keyFile);
  return { forType: () => signer };
}
