import { setupIamCommand } from "../shared/commands.js";
import {
  TOKEN_TYPE_SPECS,
  findSharedSigners,
  type SharedSigner,
  type TokenType,
} from "../shared/functions-code.js";
import type { Checklist } from "./checklist.js";

/**
 * Fleet Engine authorizes a JWT with the IAM roles of the account that signed it, narrowed only
 * by the authorization claim. Two token types with different roles signed by one account make
 * that account hold both roles, so each token carries the power of both: a rider's consumer token
 * for one trip, signed by an account that also holds driverSdkUser, may update that trip as a
 * driver could. Said out loud as a FAIL, or a WARN with --allow-shared-signer for a first try.
 */

export interface SharingInput {
  readonly project: string;
  readonly enabled: readonly TokenType[];
  readonly signerAccounts: Readonly<Record<TokenType, string | undefined>>;
  /** The runtime account's email; undefined = the Compute Engine default, not yet known. */
  readonly runtimeAccount: string | undefined;
  readonly allowSharedSigner: boolean;
}

const RUNTIME_DEFAULT =
  "the runtime account (the Compute Engine default: RUNTIME_SERVICE_ACCOUNT is empty)";

/**
 * The function's own grouping (findSharedSigners, which the deployed function's warning uses
 * too), with the runtime account as the deploy resolves RUNTIME_SERVICE_ACCOUNT.
 */
export function sharedSigners(input: SharingInput): SharedSigner[] {
  return findSharedSigners({
    enabledTypes: input.enabled,
    signerAccounts: input.signerAccounts,
    runtimeAccount: input.runtimeAccount,
  });
}

export function checkSignerSharing(checklist: Checklist, input: SharingInput): void {
  const shared = sharedSigners(input);
  for (const { account: named, types, roles } of shared) {
    const account = named ?? input.runtimeAccount ?? RUNTIME_DEFAULT;
    const [first, second] = types as [TokenType, TokenType, ...TokenType[]];
    const params = types
      .map((type) => `${TOKEN_TYPE_SPECS[type].signerParam}=${input.signerAccounts[type] ?? ""}`)
      .join(", ");
    checklist.add({
      status: input.allowSharedSigner ? "warn" : "fail",
      title: `shared signing account: ${types.join(", ")} tokens are all signed by ${account}`,
      detail:
        `that account needs ${roles.join(", ")}, and every token carries the power of all its ` +
        `signer's roles: a ${second} token would be signed by an account holding ` +
        `${TOKEN_TYPE_SPECS[first].fleetEngineRole}` +
        (input.allowSharedSigner ? " (allowed for a first try by --allow-shared-signer)" : ""),
      advice: [
        `give each type its own signing account: ${setupIamCommand(input.project)} (${params})`,
        ...(input.allowSharedSigner
          ? []
          : ["for a first try only, doctor --allow-shared-signer reports this as a warning"]),
      ],
    });
  }
  if (shared.length === 0) {
    checklist.add({
      status: "pass",
      title: "no signing account shared by token types with different roles",
    });
  }
}
