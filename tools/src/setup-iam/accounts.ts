import {
  TOKEN_TYPES,
  TOKEN_TYPE_SPECS,
  runtimeServiceAccount,
  type TokenType,
} from "../shared/functions-code.js";
import {
  isAccountId,
  isDefaultComputeAccount,
  projectAccountEmail,
  projectAccountId,
} from "../shared/project.js";
import { UsageError } from "../shared/usage-error.js";

/**
 * Which service accounts a project gets: one signing account per token type (named `fe-<type>`
 * unless overridden) and the function's runtime account (`fe-token-service` unless overridden).
 */

export const DEFAULT_RUNTIME_ACCOUNT_ID = "fe-token-service";

export interface ManagedAccount {
  readonly email: string;
  /** Set when setup:iam may create the account (a user-managed account of this project). */
  readonly id?: string;
  readonly displayName: string;
}

export interface SigningAccount extends ManagedAccount {
  readonly type: TokenType;
  /** The Fleet Engine role of the type, from TOKEN_TYPE_SPECS. */
  readonly role: string;
  /** The param that names this account for the function, from TOKEN_TYPE_SPECS. */
  readonly param: string;
}

export interface AccountChoice {
  readonly project: string;
  readonly types: readonly TokenType[];
  /** Per-type account ID or email overrides (`--account TYPE=NAME`). */
  readonly overrides: Readonly<Partial<Record<TokenType, string>>>;
  /** `--runtime-account`: an account ID or email; undefined = the dedicated default. */
  readonly runtime?: string;
}

export interface Accounts {
  readonly runtime: ManagedAccount & { readonly param: string };
  readonly signers: readonly SigningAccount[];
}

/** `deliveryFleetReader` -> `fe-delivery-fleet-reader`. */
export function defaultSignerId(type: TokenType): string {
  return `fe-${type.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

function resolve(value: string, project: string, flag: string, allowCompute: boolean) {
  if (isAccountId(value)) return { email: projectAccountEmail(value, project), id: value };
  const id = projectAccountId(value, project);
  if (id !== undefined) return { email: value, id };
  if (allowCompute && isDefaultComputeAccount(value)) return { email: value };
  throw new UsageError(
    `${flag} ${value}: give an account ID (6 to 30 lower-case letters, digits, hyphens) or an ` +
      `email ending in @${project}.iam.gserviceaccount.com` +
      (allowCompute ? ", or the project's NUMBER-compute@developer.gserviceaccount.com" : ""),
  );
}

export function chooseAccounts(choice: AccountChoice): Accounts {
  const runtimeValue = choice.runtime ?? DEFAULT_RUNTIME_ACCOUNT_ID;
  const runtime = {
    ...resolve(runtimeValue, choice.project, "--runtime-account", true),
    displayName: "Fleet Engine token service (function runtime)",
    param: runtimeServiceAccount.name,
  };
  for (const type of Object.keys(choice.overrides)) {
    if (!choice.types.includes(type as TokenType)) {
      throw new UsageError(
        `--account ${type}=...: ${type} is not among the types being set up ` +
          `(${choice.types.join(", ")}: --types, or the types ENABLED_TOKEN_TYPES enables)`,
      );
    }
  }
  const signers = choice.types.map((type): SigningAccount => {
    const override = choice.overrides[type];
    const spec = TOKEN_TYPE_SPECS[type];
    return {
      ...resolve(override ?? defaultSignerId(type), choice.project, `--account ${type}=`, false),
      displayName: `Fleet Engine ${type} tokens`,
      type,
      role: spec.fleetEngineRole,
      param: spec.signerParam,
    };
  });
  // One role per signing account: a token carries the union of its signer's roles.
  const seen = new Map<string, string>([[runtime.email, "the runtime account"]]);
  for (const signer of signers) {
    const other = seen.get(signer.email);
    if (other !== undefined) {
      throw new UsageError(
        `${signer.email} would sign ${signer.type} tokens and also be ${other}: every token type ` +
          "needs its own account (a token carries all the roles of the account that signs it)",
      );
    }
    seen.set(signer.email, `the ${signer.type} signing account`);
  }
  return { runtime, signers };
}

/**
 * The types to prepare: those listed in --types, or every type ENABLED_TOKEN_TYPES enables. A
 * type the function does not serve gets no account: naming one is a usage error, not a silent
 * extra account with a Fleet Engine role nobody uses.
 */
export function parseTypes(value: string | undefined, enabled: readonly TokenType[]): TokenType[] {
  if (value === undefined) return [...enabled];
  const types = value.split(",").map((type) => type.trim());
  for (const type of types) {
    if (!(TOKEN_TYPES as readonly string[]).includes(type)) {
      throw new UsageError(`--types: unknown token type ${type}; types: ${TOKEN_TYPES.join(", ")}`);
    }
  }
  if (types.length === 0) throw new UsageError("--types needs at least one token type");
  const disabled = types.filter((type) => !(enabled as readonly string[]).includes(type));
  if (disabled.length > 0) {
    throw new UsageError(
      `--types: ${disabled.join(", ")} ${disabled.length === 1 ? "is" : "are"} not enabled ` +
        `(ENABLED_TOKEN_TYPES=${enabled.join(",")}); add ${disabled.length === 1 ? "it" : "them"} ` +
        "to ENABLED_TOKEN_TYPES in functions/.env.PROJECT_ID first, or leave it out of --types",
    );
  }
  return [...new Set(types)] as TokenType[];
}

export function parseAccountOverrides(
  values: readonly string[],
): Partial<Record<TokenType, string>> {
  const overrides: Partial<Record<TokenType, string>> = {};
  for (const value of values) {
    const [type, name] = value.split("=", 2);
    if (type === undefined || name === undefined || name === "") {
      throw new UsageError(
        `--account ${value}: write TYPE=ACCOUNT, e.g. --account driver=my-driver`,
      );
    }
    if (!(TOKEN_TYPES as readonly string[]).includes(type)) {
      throw new UsageError(`--account ${value}: unknown token type ${type}`);
    }
    overrides[type as TokenType] = name;
  }
  return overrides;
}
