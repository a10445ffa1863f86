import { grantAccountRoleArgs, grantProjectRoleArgs } from "../shared/gcloud-commands.js";
import { serviceAccountMember } from "../shared/project.js";
import {
  APP_CHECK_VERIFIER_ROLE,
  APP_CHECK_VERIFIER_ROLES,
  AUTH_READ_ROLE,
  AUTH_READ_ROLES,
  FIRESTORE_READ_ROLE,
  FIRESTORE_READ_ROLES,
  REQUIRED_SERVICES,
  TOKEN_CREATOR_ROLE,
} from "../shared/roles.js";
import type { Accounts } from "./accounts.js";

/**
 * What a project needs, as gcloud steps in the order they must run. Pure: the same inputs give
 * the same plan, which is what `setup:iam` prints and what `--apply` runs the missing part of.
 */

export type Step =
  | { readonly kind: "enable-services"; readonly services: readonly string[] }
  | {
      readonly kind: "create-account";
      readonly id: string;
      readonly email: string;
      readonly displayName: string;
    }
  | {
      readonly kind: "grant-project-role";
      readonly member: string;
      readonly role: string;
      /** Roles that already give what `role` is granted for; any of them satisfies the step. */
      readonly satisfiedBy: readonly string[];
    }
  | {
      /** A binding on a service account (the resource), never on the project. */
      readonly kind: "grant-account-role";
      readonly account: string;
      readonly member: string;
      readonly role: string;
    };

export interface PlanSection {
  readonly title: string;
  readonly steps: readonly Step[];
}

export interface Plan {
  readonly project: string;
  readonly sections: readonly PlanSection[];
  /** The params to write to functions/.env.<project>, in order. */
  readonly params: ReadonlyArray<readonly [string, string]>;
}

export interface PlanInput {
  readonly project: string;
  readonly accounts: Accounts;
  /** Members (user:..., group:...) that may impersonate the runtime account to run doctor. */
  readonly operators: readonly string[];
  /** CONSUME_APP_CHECK_TOKEN as the deploy would see it. */
  readonly consumeAppCheckToken: boolean;
  /** CHECK_REVOKED_TOKENS as the deploy would see it (on unless exactly "false"). */
  readonly checkRevokedTokens: boolean;
}

export function planSetup(input: PlanInput): Plan {
  const { runtime, signers } = input.accounts;
  const runtimeMember = serviceAccountMember(runtime.email);
  const create = (account: { email: string; id?: string; displayName: string }): Step[] =>
    account.id === undefined
      ? []
      : [
          {
            kind: "create-account",
            id: account.id,
            email: account.email,
            displayName: account.displayName,
          },
        ];

  const runtimeSteps: Step[] = [
    ...create(runtime),
    {
      kind: "grant-project-role",
      member: runtimeMember,
      role: FIRESTORE_READ_ROLE,
      satisfiedBy: FIRESTORE_READ_ROLES,
    },
  ];
  if (input.checkRevokedTokens) {
    runtimeSteps.push({
      kind: "grant-project-role",
      member: runtimeMember,
      role: AUTH_READ_ROLE,
      satisfiedBy: AUTH_READ_ROLES,
    });
  }
  if (input.consumeAppCheckToken) {
    runtimeSteps.push({
      kind: "grant-project-role",
      member: runtimeMember,
      role: APP_CHECK_VERIFIER_ROLE,
      satisfiedBy: APP_CHECK_VERIFIER_ROLES,
    });
  }
  for (const operator of input.operators) {
    runtimeSteps.push({
      kind: "grant-account-role",
      account: runtime.email,
      member: operator,
      role: TOKEN_CREATOR_ROLE,
    });
  }

  const sections: PlanSection[] = [
    {
      title: "APIs: IAM Credentials (signJwt), Fleet Engine, IAM (service accounts)",
      steps: [{ kind: "enable-services", services: REQUIRED_SERVICES }],
    },
    {
      title:
        `The function's runtime account ${runtime.email}: reads Firestore` +
        (input.checkRevokedTokens ? ", looks up Firebase Auth users (revocation)" : "") +
        (input.consumeAppCheckToken ? ", verifies App Check tokens" : "") +
        (input.operators.length > 0 ? "; operators may impersonate it to run doctor" : ""),
      steps: runtimeSteps,
    },
    ...signers.map((signer) => ({
      title:
        `${signer.type} tokens: ${signer.email} holds ${signer.role} only; ` +
        "the runtime account may sign as it (Token Creator on this account, not on the project)",
      steps: [
        ...create(signer),
        {
          kind: "grant-project-role" as const,
          member: serviceAccountMember(signer.email),
          role: signer.role,
          satisfiedBy: [signer.role],
        },
        {
          kind: "grant-account-role" as const,
          account: signer.email,
          member: runtimeMember,
          role: TOKEN_CREATOR_ROLE,
        },
      ],
    })),
  ];
  return {
    project: input.project,
    sections,
    params: [
      [runtime.param, runtime.email],
      ...signers.map((signer) => [signer.param, signer.email] as const),
    ],
  };
}

/** The gcloud arguments (without `gcloud`) that carry out a step. */
export function gcloudArgs(step: Step, project: string): string[] {
  switch (step.kind) {
    case "enable-services":
      return ["services", "enable", ...step.services, `--project=${project}`];
    case "create-account":
      return [
        "iam",
        "service-accounts",
        "create",
        step.id,
        `--project=${project}`,
        `--display-name=${step.displayName}`,
      ];
    case "grant-project-role":
      return grantProjectRoleArgs(project, step.member, step.role);
    case "grant-account-role":
      return grantAccountRoleArgs(project, step.account, step.member, step.role);
  }
}
