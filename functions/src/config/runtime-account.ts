import { runtimeServiceAccount } from "./params.js";

/**
 * RUNTIME_SERVICE_ACCOUNT as `firebase deploy` resolves it into the callable's `serviceAccount`
 * option: an email; `name@`, which the CLI completes with `<project>.iam.gserviceaccount.com`;
 * or empty for the platform default (the Compute Engine default account). The function (for its
 * shared-signer warning) and doctor read it through this one function.
 */

export const SERVICE_ACCOUNT_EMAIL =
  /^[a-z0-9][a-z0-9-]{4,61}[a-z0-9]@[a-z0-9.-]+\.gserviceaccount\.com$/;
const SHORTHAND = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@$/;

export type RuntimeAccountParam =
  /** Empty: the Compute Engine default account, whose email needs the project number. */
  | { readonly kind: "platform-default" }
  | { readonly kind: "email"; readonly email: string }
  /** `name@` while the project is not known here. */
  | { readonly kind: "unresolved"; readonly value: string }
  | { readonly kind: "invalid"; readonly problem: string };

export function resolveRuntimeAccount(
  raw: string | undefined,
  projectId: string | undefined,
): RuntimeAccountParam {
  const value = raw?.trim() ?? "";
  if (value === "") return { kind: "platform-default" };
  if (SERVICE_ACCOUNT_EMAIL.test(value)) return { kind: "email", email: value };
  if (SHORTHAND.test(value)) {
    return projectId
      ? { kind: "email", email: `${value}${projectId}.iam.gserviceaccount.com` }
      : { kind: "unresolved", value };
  }
  return {
    kind: "invalid",
    problem: `${runtimeServiceAccount.name} must be a service account email, name@ or empty`,
  };
}

/** The runtime account's email if the param names it, else undefined. */
export function runtimeAccountEmail(
  raw: string | undefined,
  projectId: string | undefined,
): string | undefined {
  const resolved = resolveRuntimeAccount(raw, projectId);
  return resolved.kind === "email" ? resolved.email : undefined;
}
