/** An IAM policy as gcloud's --format=json and the REST getIamPolicy methods return it. */
export interface IamBinding {
  readonly role: string;
  readonly members?: readonly string[];
  /** Conditional bindings never count as a grant: a condition may not hold when it matters. */
  readonly condition?: { readonly title?: string; readonly expression?: string } | null;
}

export interface IamPolicy {
  readonly bindings?: readonly IamBinding[];
}

/** Whether `member` holds `role` unconditionally. */
export function hasRole(policy: IamPolicy, role: string, member: string): boolean {
  return rolesOf(policy, member).includes(role);
}

/** The roles `member` holds unconditionally, sorted. */
export function rolesOf(policy: IamPolicy, member: string): string[] {
  const roles = new Set<string>();
  for (const binding of policy.bindings ?? []) {
    if (binding.condition !== undefined) continue;
    if (binding.members?.includes(member)) roles.add(binding.role);
  }
  return [...roles].sort();
}

/**
 * Members that stand for many principals, any of which may be the account: group membership is
 * not readable with the roles doctor asks for, and all*Users include every service account.
 */
const SETS = /^(group:|allAuthenticatedUsers$|allUsers$)/;

function isConditional(binding: IamBinding): boolean {
  return binding.condition !== undefined && binding.condition !== null;
}

/**
 * Grants of a `relevant` role that may reach `member` but that cannot be decided from the policy
 * alone: conditional bindings naming the member (conditions are not evaluated), and bindings to a
 * group (or all users) that may contain it. Each as a phrase that says which and why.
 */
export function unevaluatedGrants(
  policy: IamPolicy,
  member: string,
  relevant: (role: string) => boolean,
  where: string,
): string[] {
  const found: string[] = [];
  for (const binding of policy.bindings ?? []) {
    if (!relevant(binding.role)) continue;
    for (const other of binding.members ?? []) {
      if (other === member && isConditional(binding)) {
        const title = binding.condition?.title ?? binding.condition?.expression ?? "";
        found.push(
          `${binding.role} under the condition ${JSON.stringify(title)} on ${where} (conditions are not evaluated)`,
        );
      } else if (SETS.test(other)) {
        found.push(
          `${binding.role} to ${other} on ${where}` +
            `${isConditional(binding) ? " (conditional)" : ""}, which may include this account (membership is not read)`,
        );
      }
    }
  }
  return found;
}

/** Parses gcloud/REST policy JSON, refusing anything that is not shaped like a policy. */
export function parsePolicy(json: string): IamPolicy {
  const value: unknown = JSON.parse(json === "" ? "{}" : json);
  if (typeof value !== "object" || value === null) throw new Error("IAM policy is not an object");
  const bindings = (value as { bindings?: unknown }).bindings;
  if (bindings !== undefined && !Array.isArray(bindings)) {
    throw new Error("IAM policy bindings is not a list");
  }
  return value;
}
