import { UsageError } from "./usage-error.js";

/**
 * Names in a Google Cloud project: project IDs, service account IDs and emails, IAM members.
 */

/** Google Cloud project IDs: 6 to 30 characters, lower-case letters, digits and hyphens. */
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** Service account IDs (the part before the @): 6 to 30 characters. */
const ACCOUNT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** --project is required; it may be an alias, which resolveDeployTarget turns into an ID. */
export function requireProjectOption(value: string | undefined): string {
  if (value === undefined || value === "") {
    throw new UsageError(
      "--project is required: the Google Cloud project ID or an alias of .firebaserc, e.g. --project my-app",
    );
  }
  return value;
}

export function requireProjectId(value: string | undefined): string {
  if (value === undefined || value === "") {
    throw new UsageError(
      "--project is required: the Google Cloud project ID, e.g. --project my-app",
    );
  }
  if (!PROJECT_ID.test(value)) {
    throw new UsageError(
      `--project ${value} is not a Google Cloud project ID (6 to 30 lower-case letters, digits ` +
        "and hyphens); pass the project ID, not its name or number",
    );
  }
  return value;
}

export function isProjectId(value: string): boolean {
  return PROJECT_ID.test(value);
}

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** The email of the account with ID `id` in `project`. */
export function projectAccountEmail(id: string, project: string): string {
  return `${id}@${project}.iam.gserviceaccount.com`;
}

/** The account ID if `email` is a user-managed account of `project`, else undefined. */
export function projectAccountId(email: string, project: string): string | undefined {
  const suffix = `@${project}.iam.gserviceaccount.com`;
  if (!email.endsWith(suffix)) return undefined;
  const id = email.slice(0, -suffix.length);
  return isAccountId(id) ? id : undefined;
}

/** The Compute Engine default service account: the function's own definition. */
export { isDefaultComputeAccount } from "./functions-code.js";

export function defaultComputeAccount(projectNumber: string): string {
  return `${projectNumber}-compute@developer.gserviceaccount.com`;
}

export function serviceAccountMember(email: string): string {
  return `serviceAccount:${email}`;
}

const EMAIL = /^[^\s@:]+@[^\s@]+\.[^\s@]+$/;

export interface Operator {
  readonly member: string;
  /** Set for a group: said out loud, since everyone in it may then sign as the runtime account. */
  readonly warning?: string;
}

/**
 * An operator who may impersonate the runtime account, and so mint any token type it signs:
 * a person (`user:`) or a service account (`serviceAccount:`); a `group:` with a warning. Never
 * `domain:`, `allUsers`, `allAuthenticatedUsers` or any other member kind: each of those hands
 * the power to sign to people nobody picked one by one.
 */
export function requireOperator(value: string, flag = "--operator"): Operator {
  const colon = value.indexOf(":");
  const kind = colon === -1 ? "" : value.slice(0, colon);
  const email = value.slice(colon + 1);
  const usage = (why: string) =>
    new UsageError(
      `${flag} ${value}: ${why}; use user:EMAIL (a person) or serviceAccount:EMAIL (group:EMAIL is accepted with a warning)`,
    );
  if (kind === "user" || kind === "serviceAccount" || kind === "group") {
    if (!EMAIL.test(email)) throw usage(`${email} is not an email`);
    return kind === "group"
      ? {
          member: value,
          warning:
            `${flag} ${value}: every member of this group, now and later, may impersonate the ` +
            "runtime account and so mint any token it signs; prefer naming people with user:EMAIL",
        }
      : { member: value };
  }
  if (kind === "domain" || value === "allUsers" || value === "allAuthenticatedUsers") {
    throw usage(
      `${value === "allUsers" || value === "allAuthenticatedUsers" ? value : "domain:"} would let ` +
        "everyone it covers impersonate the runtime account and mint tokens",
    );
  }
  throw usage("not an operator member");
}
