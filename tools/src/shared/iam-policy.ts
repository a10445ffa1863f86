/** An IAM policy as gcloud's --format=json and the REST getIamPolicy methods return it. */
export interface IamBinding {
  readonly role: string;
  readonly members?: readonly string[];
  /** Conditional bindings are ignored: a condition may not hold when it matters. */
  readonly condition?: unknown;
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
