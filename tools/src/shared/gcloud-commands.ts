import { formatCommand } from "./shell.js";

/**
 * The gcloud commands that grant a role, in one place: setup:iam runs them, doctor prints them as
 * advice. `--condition=None` keeps gcloud from prompting when a policy has conditional bindings.
 */

/** `gcloud projects add-iam-policy-binding`: `member` gets `role` on the whole project. */
export function grantProjectRoleArgs(project: string, member: string, role: string): string[] {
  return [
    "projects",
    "add-iam-policy-binding",
    project,
    `--member=${member}`,
    `--role=${role}`,
    "--condition=None",
  ];
}

/** `gcloud iam service-accounts add-iam-policy-binding`: `member` gets `role` on `account` only. */
export function grantAccountRoleArgs(
  project: string,
  account: string,
  member: string,
  role: string,
): string[] {
  return [
    "iam",
    "service-accounts",
    "add-iam-policy-binding",
    account,
    `--project=${project}`,
    `--member=${member}`,
    `--role=${role}`,
    "--condition=None",
  ];
}

export const grantProjectRoleCommand = (project: string, member: string, role: string): string =>
  formatCommand("gcloud", grantProjectRoleArgs(project, member, role));

export const grantAccountRoleCommand = (
  project: string,
  account: string,
  member: string,
  role: string,
): string => formatCommand("gcloud", grantAccountRoleArgs(project, account, member, role));
