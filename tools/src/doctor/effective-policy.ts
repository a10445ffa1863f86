import { rolesOf, unevaluatedGrants, type IamPolicy } from "../shared/iam-policy.js";
import type { GoogleApis } from "./google-apis.js";
import { describe } from "./google-error.js";

/**
 * The IAM policy that applies to the project: its own bindings plus those inherited from its
 * folders and organization, as far as doctor can read them. What it cannot decide (conditions,
 * groups, ancestors whose policy it cannot read) is kept as phrases for a WARN "not evaluated",
 * so that no check passes on a policy it only partly saw.
 */
export interface PolicySource {
  /** `project P`, `organizations/123`, `folders/456`. */
  readonly name: string;
  readonly policy: IamPolicy;
}

export class EffectivePolicy {
  constructor(
    readonly sources: readonly PolicySource[],
    /** Ancestors whose grants could not be read, each with the reason. */
    readonly unreadable: readonly string[] = [],
  ) {}

  /** The roles `member` holds unconditionally anywhere in the hierarchy, sorted. */
  rolesOf(member: string): string[] {
    return [...new Set(this.sources.flatMap((source) => rolesOf(source.policy, member)))].sort();
  }

  /** Where `member` holds `role`: `project P`, or the ancestor it is inherited from. */
  grantedOn(role: string, member: string): string | undefined {
    return this.sources.find((source) => rolesOf(source.policy, member).includes(role))?.name;
  }

  /** Grants of a `relevant` role that may reach `member` but that doctor cannot decide. */
  unevaluated(member: string, relevant: (role: string) => boolean): string[] {
    return [
      ...this.sources.flatMap((source) =>
        unevaluatedGrants(source.policy, member, relevant, source.name),
      ),
      ...this.unreadable.map((reason) => `anything inherited from ${reason}`),
    ];
  }
}

/** The project's policy and every ancestor's that can be read. */
export async function readEffectivePolicy(
  apis: GoogleApis,
  project: string,
  projectPolicy: IamPolicy,
): Promise<EffectivePolicy> {
  const sources: PolicySource[] = [{ name: `project ${project}`, policy: projectPolicy }];
  const unreadable: string[] = [];
  const ancestry = await apis.ancestors(project);
  if (!ancestry.ok) {
    unreadable.push(
      `the project's folders and organization (getAncestry: ${describe(ancestry.error)})`,
    );
    return new EffectivePolicy(sources, unreadable);
  }
  for (const ancestor of ancestry.value) {
    const policy = await apis.ancestorPolicy(ancestor);
    if (policy.ok) sources.push({ name: ancestor, policy: policy.value });
    else
      unreadable.push(`${ancestor}, whose IAM policy is not readable (${describe(policy.error)})`);
  }
  return new EffectivePolicy(sources, unreadable);
}
