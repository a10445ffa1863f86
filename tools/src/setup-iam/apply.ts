import { hasRole, rolesOf } from "../shared/iam-policy.js";
import { serviceAccountMember } from "../shared/project.js";
import {
  FLEET_ENGINE_ADMIN_ROLES,
  FLEET_ENGINE_ROLE_PREFIX,
  TOKEN_CREATOR_ROLE,
} from "../shared/roles.js";
import { formatCommand } from "../shared/shell.js";
import type { Accounts } from "./accounts.js";
import { GcloudError, type Gcloud } from "./gcloud.js";
import { gcloudArgs, type Plan, type Step } from "./plan.js";
import { readProjectState, type ProjectState } from "./project-state.js";

/**
 * --apply: read the project, run only the missing steps in plan order, stop at the first failure
 * and say which command failed. Nothing is ever removed: what setup:iam finds wrong but did not
 * make (a project-level Token Creator grant, extra roles) is reported with the command to fix it.
 */

export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SetupError";
  }
}

export interface ApplyOptions {
  readonly gcloud: Gcloud;
  readonly plan: Plan;
  readonly accounts: Accounts;
  readonly log: (line: string) => void;
  /** IAM is eventually consistent: a binding on an account created seconds ago may be refused. */
  readonly retryDelaysMs?: readonly number[];
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface ApplyResult {
  /** The commands that were run, in order (changes only). */
  readonly ran: readonly string[];
  readonly alreadyDone: number;
  readonly warnings: readonly string[];
  /** Owner or Editor on the runtime or a signing account: printed loud, never removed. */
  readonly alarms: readonly string[];
}

const DEFAULT_RETRY_DELAYS_MS = [2000, 4000, 8000, 16000];
const NOT_YET_VISIBLE = /does not exist|not found|NOT_FOUND/i;

/** The part of `step` that the project does not have yet, or undefined when it has all of it. */
export function missingPart(step: Step, state: ProjectState): Step | undefined {
  switch (step.kind) {
    case "enable-services": {
      const services = step.services.filter((service) => !state.enabledServices.has(service));
      return services.length === 0 ? undefined : { ...step, services };
    }
    case "create-account":
      return state.accounts.has(step.email) ? undefined : step;
    case "grant-project-role":
      return step.satisfiedBy.some((role) => hasRole(state.projectPolicy, role, step.member))
        ? undefined
        : step;
    case "grant-account-role": {
      const policy = state.accountPolicies.get(step.account) ?? {};
      return hasRole(policy, step.role, step.member) ? undefined : step;
    }
  }
}

function accountsToInspect(plan: Plan): string[] {
  return plan.sections.flatMap((section) =>
    section.steps.flatMap((step) => (step.kind === "grant-account-role" ? [step.account] : [])),
  );
}

function checkAccountsCanExist(accounts: Accounts, state: ProjectState, project: string): void {
  for (const account of [accounts.runtime, ...accounts.signers]) {
    if (account.id === undefined && !state.accounts.has(account.email)) {
      throw new SetupError(
        `${account.email} does not exist in project ${project}, and setup:iam creates only ` +
          `accounts of the form NAME@${project}.iam.gserviceaccount.com. Nothing was changed.`,
      );
    }
  }
}

/** Problems setup:iam did not cause and will not undo on its own. */
function findWarnings(accounts: Accounts, state: ProjectState, project: string): string[] {
  const warnings: string[] = [];
  const runtimeMember = serviceAccountMember(accounts.runtime.email);
  if (hasRole(state.projectPolicy, TOKEN_CREATOR_ROLE, runtimeMember)) {
    warnings.push(
      `${accounts.runtime.email} holds ${TOKEN_CREATOR_ROLE} on the whole project: it can ` +
        "impersonate every service account there. It needs the role only on the signing " +
        `accounts (done above). Remove it with: ${formatCommand("gcloud", [
          "projects",
          "remove-iam-policy-binding",
          project,
          `--member=${runtimeMember}`,
          `--role=${TOKEN_CREATOR_ROLE}`,
        ])}`,
    );
  }
  for (const signer of accounts.signers) {
    const extra = rolesOf(state.projectPolicy, serviceAccountMember(signer.email)).filter(
      (role) =>
        role !== signer.role &&
        (role.startsWith(FLEET_ENGINE_ROLE_PREFIX) || FLEET_ENGINE_ADMIN_ROLES.includes(role)),
    );
    if (extra.length > 0) {
      warnings.push(
        `${signer.email} also holds ${extra.join(", ")}: every ${signer.type} token it signs ` +
          `carries those roles too. Keep only ${signer.role}.`,
      );
    }
  }
  return warnings;
}

const BROAD_ROLES: readonly string[] = ["roles/owner", "roles/editor"];

/**
 * Owner or Editor on an account of the setup, which setup:iam never grants and never removes. On
 * a signing account every token it signs carries the role; on the runtime account the function's
 * code (and each dependency) runs with it.
 */
function findAlarms(accounts: Accounts, state: ProjectState, project: string): string[] {
  const alarms: string[] = [];
  const holders = [
    {
      email: accounts.runtime.email,
      why:
        "the function's code, and every dependency it loads, runs with it (other services may " +
        "rely on it too: a dedicated runtime account, setup:iam's default without " +
        "--runtime-account, avoids the question)",
    },
    ...accounts.signers.map((signer) => ({
      email: signer.email,
      why: `every ${signer.type} token it signs carries that power, for any trip or vehicle`,
    })),
  ];
  for (const { email, why } of holders) {
    const member = serviceAccountMember(email);
    const broad = rolesOf(state.projectPolicy, member).filter((role) => BROAD_ROLES.includes(role));
    if (broad.length === 0) continue;
    alarms.push(
      `${email} holds ${broad.join(" and ")} on project ${project}: ${why}. setup:iam did not ` +
        "grant it and will not remove it. Remove it with:\n" +
        broad
          .map(
            (role) =>
              `  ${formatCommand("gcloud", [
                "projects",
                "remove-iam-policy-binding",
                project,
                `--member=${member}`,
                `--role=${role}`,
              ])}`,
          )
          .join("\n"),
    );
  }
  return alarms;
}

export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  const { gcloud, plan, log } = options;
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;

  const state = await readProjectState(gcloud, plan.project, accountsToInspect(plan));
  checkAccountsCanExist(options.accounts, state, plan.project);

  const created = new Set<string>();
  const ran: string[] = [];
  let alreadyDone = 0;
  for (const section of plan.sections) {
    log(`# ${section.title}`);
    for (const step of section.steps) {
      const missing = missingPart(step, state);
      if (missing === undefined) {
        alreadyDone++;
        log(`  already done: ${formatCommand("gcloud", gcloudArgs(step, plan.project))}`);
        continue;
      }
      const args = gcloudArgs(missing, plan.project);
      log(`  $ ${formatCommand("gcloud", args)}`);
      const onNewAccount =
        missing.kind === "grant-account-role"
          ? created.has(missing.account)
          : missing.kind === "grant-project-role" &&
            created.has(missing.member.replace(/^serviceAccount:/, ""));
      for (let attempt = 0; ; attempt++) {
        try {
          await gcloud.run(args);
          break;
        } catch (error) {
          const delay = delays[attempt];
          const retry =
            onNewAccount &&
            delay !== undefined &&
            error instanceof GcloudError &&
            NOT_YET_VISIBLE.test(error.stderr);
          if (!retry) throw error;
          log(`    the new account is not visible to IAM yet; retrying in ${delay / 1000} s`);
          await sleep(delay);
        }
      }
      ran.push(formatCommand("gcloud", args));
      if (missing.kind === "create-account") created.add(missing.email);
    }
  }
  return {
    ran,
    alreadyDone,
    warnings: findWarnings(options.accounts, state, plan.project),
    alarms: findAlarms(options.accounts, state, plan.project),
  };
}
