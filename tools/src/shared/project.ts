import { UsageError } from "./usage-error.js";

/**
 * Names in a Google Cloud project: project IDs, service account IDs and emails, IAM members.
 */

/** Google Cloud project IDs: 6 to 30 characters, lower-case letters, digits and hyphens. */
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** Service account IDs (the part before the @): 6 to 30 characters. */
const ACCOUNT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** The Compute Engine default service account, the platform's default function identity. */
const DEFAULT_COMPUTE_ACCOUNT = /^\d+-compute@developer\.gserviceaccount\.com$/;

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

export function isDefaultComputeAccount(email: string): boolean {
  return DEFAULT_COMPUTE_ACCOUNT.test(email);
}

export function defaultComputeAccount(projectNumber: string): string {
  return `${projectNumber}-compute@developer.gserviceaccount.com`;
}

export function serviceAccountMember(email: string): string {
  return `serviceAccount:${email}`;
}

/** IAM members as gcloud takes them: user:, group:, serviceAccount: or domain:. */
const MEMBER = /^(user|group|serviceAccount):[^\s@]+@[^\s@]+\.[^\s@]+$|^domain:[a-z0-9.-]+$/;

export function requireMember(value: string, flag: string): string {
  if (!MEMBER.test(value)) {
    throw new UsageError(
      `${flag} ${value} is not an IAM member; use user:EMAIL, group:EMAIL or serviceAccount:EMAIL`,
    );
  }
  return value;
}
