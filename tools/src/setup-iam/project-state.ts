import { parsePolicy, type IamPolicy } from "../shared/iam-policy.js";
import type { Gcloud } from "./gcloud.js";

/**
 * What a project has now, read with gcloud (read-only commands only), so that --apply runs only
 * the steps that are missing and a second run changes nothing.
 */
export interface ProjectState {
  readonly enabledServices: ReadonlySet<string>;
  readonly accounts: ReadonlySet<string>;
  readonly projectPolicy: IamPolicy;
  /** IAM policies of the existing accounts that the plan binds roles on. */
  readonly accountPolicies: ReadonlyMap<string, IamPolicy>;
}

function lines(stdout: string): string[] {
  return stdout
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

export async function readProjectState(
  gcloud: Gcloud,
  project: string,
  accountsToInspect: readonly string[],
): Promise<ProjectState> {
  // Fails early, with gcloud's own message, when the project does not exist or is not ours.
  await gcloud.run(["projects", "describe", project, "--format=value(projectId)"]);
  const enabledServices = new Set(
    lines(
      await gcloud.run([
        "services",
        "list",
        "--enabled",
        `--project=${project}`,
        "--format=value(config.name)",
      ]),
    ),
  );
  const accounts = new Set(
    lines(
      await gcloud.run([
        "iam",
        "service-accounts",
        "list",
        `--project=${project}`,
        "--format=value(email)",
      ]),
    ),
  );
  const projectPolicy = parsePolicy(
    await gcloud.run(["projects", "get-iam-policy", project, "--format=json"]),
  );
  const accountPolicies = new Map<string, IamPolicy>();
  for (const email of new Set(accountsToInspect)) {
    if (!accounts.has(email)) continue;
    accountPolicies.set(
      email,
      parsePolicy(
        await gcloud.run([
          "iam",
          "service-accounts",
          "get-iam-policy",
          email,
          `--project=${project}`,
          "--format=json",
        ]),
      ),
    );
  }
  return { enabledServices, accounts, projectPolicy, accountPolicies };
}
