import { setupIamCommand } from "../shared/commands.js";
import { hasRole, type IamPolicy } from "../shared/iam-policy.js";
import { defaultComputeAccount, serviceAccountMember } from "../shared/project.js";
import {
  APP_CHECK_VERIFIER_ROLE,
  APP_CHECK_VERIFIER_ROLES,
  AUTH_READ_ROLE,
  AUTH_READ_ROLES,
  FIRESTORE_READ_ROLE,
  FIRESTORE_READ_ROLES,
  FLEET_ENGINE_ADMIN_ROLES,
  FLEET_ENGINE_ROLE_PREFIX,
  TOKEN_CREATOR_ROLE,
} from "../shared/roles.js";
import { formatCommand } from "../shared/shell.js";
import type { Checklist } from "./checklist.js";
import type { GoogleApis, Lookup, ServiceAccountInfo } from "./google-apis.js";
import type { EffectivePolicy } from "./effective-policy.js";
import { describe } from "./google-error.js";
import { grantAccountRoleCommand, grantProjectRoleCommand } from "../shared/gcloud-commands.js";

/** Checks of the accounts themselves, from IAM's point of view (no signing here). */

const SETUP = (project: string): string => setupIamCommand(project);

/** The runtime account: RUNTIME_SERVICE_ACCOUNT, or the default compute account. */
export async function resolveRuntimeAccount(
  checklist: Checklist,
  apis: GoogleApis,
  project: string,
  fromParam: string | undefined,
): Promise<string | undefined> {
  if (fromParam !== undefined) {
    checklist.add({
      status: "pass",
      title: "runtime account",
      detail: `${fromParam} (RUNTIME_SERVICE_ACCOUNT)`,
    });
    return fromParam;
  }
  const info = await apis.project(project);
  if (!info.ok) {
    checklist.add({
      status: "fail",
      title: `read project ${project}`,
      detail: describe(info.error),
      advice: [
        "RUNTIME_SERVICE_ACCOUNT is empty, so the function runs as the Compute Engine default " +
          "account, whose name needs the project number; check the project ID and your access",
      ],
    });
    return undefined;
  }
  const account = defaultComputeAccount(info.value.projectNumber);
  checklist.add({
    status: "warn",
    title: "runtime account",
    detail: `${account}, the Compute Engine default (RUNTIME_SERVICE_ACCOUNT is empty)`,
    advice: [`a dedicated runtime account holds only what the function needs: ${SETUP(project)}`],
  });
  return account;
}

export function checkProjectPolicy(
  checklist: Checklist,
  lookup: Lookup<IamPolicy>,
  project: string,
): IamPolicy | undefined {
  if (lookup.ok) {
    checklist.add({
      status: "pass",
      title: `IAM policy of project ${project}`,
      detail: "readable",
    });
    return lookup.value;
  }
  checklist.add({
    status: "skip",
    title: `IAM policy of project ${project}`,
    detail: `not readable (${describe(lookup.error)}); role checks are skipped`,
    advice: ["run doctor as a project Owner (or with roles/iam.securityReviewer) to check roles"],
  });
  return undefined;
}

/** Looks each account up once: several token types may share one. */
export class AccountFacts {
  readonly #infos = new Map<string, Promise<Lookup<ServiceAccountInfo>>>();
  readonly #policies = new Map<string, Promise<Lookup<IamPolicy>>>();

  constructor(private readonly apis: GoogleApis) {}

  info(email: string): Promise<Lookup<ServiceAccountInfo>> {
    let found = this.#infos.get(email);
    if (found === undefined) this.#infos.set(email, (found = this.apis.serviceAccount(email)));
    return found;
  }

  policy(email: string): Promise<Lookup<IamPolicy>> {
    let found = this.#policies.get(email);
    if (found === undefined)
      this.#policies.set(email, (found = this.apis.serviceAccountPolicy(email)));
    return found;
  }
}

export async function checkAccountExists(
  checklist: Checklist,
  facts: AccountFacts,
  email: string,
  project: string,
): Promise<void> {
  const info = await facts.info(email);
  if (info.ok) {
    checklist.add(
      info.value.disabled
        ? {
            status: "fail",
            title: `${email} exists`,
            detail: "but it is disabled: it cannot sign",
            advice: [`gcloud iam service-accounts enable ${email} --project=${project}`],
          }
        : { status: "pass", title: `${email} exists` },
    );
  } else if (info.error.httpStatus === 404) {
    checklist.add({
      status: "fail",
      title: `${email} exists`,
      detail: "no such service account",
      advice: [`${SETUP(project)} creates it`],
    });
  } else {
    checklist.add({
      status: "skip",
      title: `${email} exists`,
      detail: `cannot look it up (${describe(info.error)})`,
    });
  }
}

/** The phrase a WARN "not evaluated" ends with. */
function notEvaluated(grants: readonly string[]): string {
  return `not evaluated: ${grants.join("; ")}`;
}

/** The command that removes `member`'s `role` from the project, or where to remove it. */
function removeAdvice(policy: EffectivePolicy, project: string, member: string, role: string) {
  const where = policy.grantedOn(role, member);
  if (where !== undefined && where !== `project ${project}`) {
    return `${role} is inherited from ${where}: remove it there (or ask its administrator)`;
  }
  return formatCommand("gcloud", [
    "projects",
    "remove-iam-policy-binding",
    project,
    `--member=${member}`,
    `--role=${role}`,
  ]);
}

const BROAD_ROLES: readonly string[] = ["roles/owner", "roles/editor"];

/**
 * The runtime account's project roles: Firestore reads, Firebase Auth lookups (revocation), App
 * Check, no project-wide Token Creator, and neither Owner nor Editor.
 */
export function checkRuntimeRoles(
  checklist: Checklist,
  policy: EffectivePolicy,
  runtime: string,
  project: string,
  needs: { consumeAppCheckToken: boolean; checkRevokedTokens: boolean },
): void {
  const member = serviceAccountMember(runtime);
  const roles = policy.rolesOf(member);
  const grant = (role: string): string => grantProjectRoleCommand(project, member, role);
  /** One line: the account holds one of `accepted`, or the command that grants `role`. */
  const requireRole = (title: string, accepted: readonly string[], role: string, why: string) => {
    const held = roles.filter((r) => accepted.includes(r));
    checklist.add(
      held.length > 0
        ? { status: "pass", title, detail: held.join(", ") }
        : {
            status: "fail",
            title,
            detail: `${why}; it holds none of ${accepted.join(", ")}`,
            advice: [grant(role)],
          },
    );
  };
  requireRole(
    "runtime account can read Firestore",
    FIRESTORE_READ_ROLES,
    FIRESTORE_READ_ROLE,
    "every call reads an assignment document",
  );
  if (needs.checkRevokedTokens) {
    requireRole(
      "runtime account can look up Firebase Auth users",
      AUTH_READ_ROLES,
      AUTH_READ_ROLE,
      "CHECK_REVOKED_TOKENS=true looks up every caller: every call would fail",
    );
  }
  if (needs.consumeAppCheckToken) {
    requireRole(
      "runtime account can consume App Check tokens",
      APP_CHECK_VERIFIER_ROLES,
      APP_CHECK_VERIFIER_ROLE,
      "CONSUME_APP_CHECK_TOKEN=true consumes every App Check token",
    );
  }

  const tokenCreatorTitle = "runtime account has no project-wide Token Creator";
  const tokenCreatorUnknown = policy.unevaluated(member, (role) => role === TOKEN_CREATOR_ROLE);
  checklist.add(
    roles.includes(TOKEN_CREATOR_ROLE)
      ? {
          status: "fail",
          title: tokenCreatorTitle,
          detail: `it holds ${TOKEN_CREATOR_ROLE} on ${policy.grantedOn(TOKEN_CREATOR_ROLE, member) ?? "the project"}: it can impersonate every service account there`,
          advice: [
            "keep the role only on each signing account, then remove it from the project:",
            removeAdvice(policy, project, member, TOKEN_CREATOR_ROLE),
          ],
        }
      : tokenCreatorUnknown.length > 0
        ? {
            status: "warn",
            title: tokenCreatorTitle,
            detail: notEvaluated(tokenCreatorUnknown),
            advice: [
              `make sure none of these gives ${runtime} ${TOKEN_CREATOR_ROLE} beyond the signing accounts`,
            ],
          }
        : { status: "pass", title: tokenCreatorTitle },
  );

  // Owner: FAIL, the function's identity could rewrite IAM (grant itself a Fleet Engine admin
  // role, impersonate anyone), so one bug or compromised dependency owns the project. Editor:
  // WARN, because it is what the platform gives the Compute Engine default account, the
  // runtime of a first deploy; a dedicated runtime account (setup:iam) is the way out. A runtime
  // account that also signs tokens gets a FAIL for either role in its signer check below.
  const broadTitle = "runtime account holds neither Owner nor Editor";
  const broad = roles.filter((role) => BROAD_ROLES.includes(role));
  const broadUnknown = policy.unevaluated(member, (role) => BROAD_ROLES.includes(role));
  const dedicated = `a dedicated runtime account holds only what the function needs: ${SETUP(project)}`;
  checklist.add(
    broad.length > 0
      ? {
          status: broad.includes("roles/owner") ? "fail" : "warn",
          title: broadTitle,
          detail:
            `it holds ${broad.join(", ")}: the function's code, and each dependency it loads, ` +
            (broad.includes("roles/owner")
              ? "could change the project's IAM policy and so own the whole project"
              : "could change almost anything in the project; the Compute Engine default account holds Editor unless you remove it"),
          advice: [dedicated, ...broad.map((role) => removeAdvice(policy, project, member, role))],
        }
      : broadUnknown.length > 0
        ? { status: "warn", title: broadTitle, detail: notEvaluated(broadUnknown) }
        : { status: "pass", title: broadTitle },
  );
}

/** Roles that no signing account may hold beyond its types' own: each token carries them. */
function isForbiddenForSigner(role: string): boolean {
  return (
    role.startsWith(FLEET_ENGINE_ROLE_PREFIX) ||
    FLEET_ENGINE_ADMIN_ROLES.includes(role) ||
    BROAD_ROLES.includes(role)
  );
}

/** The signing account holds the Fleet Engine role(s) of the types it signs, and no other. */
export function checkSignerRoles(
  checklist: Checklist,
  policy: EffectivePolicy,
  account: string,
  expected: readonly string[],
  project: string,
): readonly string[] {
  const member = serviceAccountMember(account);
  const roles = policy.rolesOf(member);
  const missing = expected.filter((role) => !roles.includes(role));
  const extra = roles.filter((role) => !expected.includes(role) && isForbiddenForSigner(role));
  const broad = extra.filter((role) => BROAD_ROLES.includes(role));
  if (missing.length > 0) {
    checklist.add({
      status: "fail",
      title: `${account} holds ${expected.join(", ")}`,
      detail: `it lacks ${missing.join(", ")}: Fleet Engine will refuse its tokens`,
      advice: missing.map((role) => grantProjectRoleCommand(project, member, role)),
    });
  }
  if (extra.length > 0) {
    checklist.add({
      status: "fail",
      title: `${account} holds only ${expected.join(", ")}`,
      detail:
        `it also holds ${extra.join(", ")}, and every token it signs carries those roles` +
        (broad.length > 0
          ? `: with ${broad.join(" and ")} a token made for one trip or vehicle carries ` +
            "the power of a project-wide role"
          : ""),
      advice: extra.map((role) => removeAdvice(policy, project, member, role)),
    });
    return roles;
  }
  const unknown = policy.unevaluated(
    member,
    (role) => !expected.includes(role) && isForbiddenForSigner(role),
  );
  if (unknown.length > 0) {
    checklist.add({
      status: "warn",
      title: `${account} holds no other Fleet Engine, Owner or Editor role`,
      detail: notEvaluated(unknown),
      advice: ["every token it signs would carry such a role too: check these grants by hand"],
    });
  } else if (missing.length === 0) {
    checklist.add({
      status: "pass",
      title: `${account} holds ${expected.join(", ")} and no other Fleet Engine role`,
    });
  }
  return roles;
}

/** The runtime account may sign as `account`: Token Creator on that account. */
export async function checkTokenCreator(
  checklist: Checklist,
  facts: AccountFacts,
  account: string,
  runtime: string,
  projectPolicy: EffectivePolicy | undefined,
  project: string,
): Promise<void> {
  const member = serviceAccountMember(runtime);
  const title = `runtime account may sign as ${account}`;
  const policy = await facts.policy(account);
  if (!policy.ok) {
    checklist.add({
      status: "skip",
      title,
      detail: `cannot read the account's IAM policy (${describe(policy.error)})`,
    });
    return;
  }
  if (hasRole(policy.value, TOKEN_CREATOR_ROLE, member)) {
    checklist.add({ status: "pass", title, detail: `${TOKEN_CREATOR_ROLE} on this account` });
  } else if (projectPolicy?.rolesOf(member).includes(TOKEN_CREATOR_ROLE) === true) {
    checklist.add({
      status: "warn",
      title,
      detail: "only through the project-wide grant flagged above",
    });
  } else {
    checklist.add({
      status: "fail",
      title,
      detail: `${runtime} lacks ${TOKEN_CREATOR_ROLE} on ${account}: the function cannot sign these tokens`,
      advice: [grantAccountRoleCommand(project, account, member, TOKEN_CREATOR_ROLE)],
    });
  }
}
