import path from "node:path";
import type { GoogleAuth } from "google-auth-library";
import { setupIamCommand } from "../shared/commands.js";
import type { DeployTarget } from "../shared/env-file.js";
import type { Installation } from "../shared/firebase-project.js";
import {
  ErrorCode,
  IamSigner,
  TOKEN_TYPE_SPECS,
  TokenServiceError,
  authorizationFor,
  buildClaims,
  googleAuthCredentials,
  type TokenType,
} from "../shared/functions-code.js";
import { displayPath } from "../shared/paths.js";
import { TOKEN_CREATOR_ROLE } from "../shared/roles.js";
import {
  AccountFacts,
  checkAccountExists,
  checkProjectPolicy,
  checkRuntimeRoles,
  checkSignerRoles,
  checkTokenCreator,
  resolveRuntimeAccount,
} from "./account-checks.js";
import { Checklist } from "./checklist.js";
import type { Endpoints } from "./endpoints.js";
import {
  RESOURCES,
  explainRefusal,
  getResource,
  kindOf,
  resourcePath,
  typesFor,
  type ResourceKind,
} from "./fleet-engine.js";
import { checkDeployedFunction } from "./deployed-function.js";
import { readEffectivePolicy } from "./effective-policy.js";
import { GoogleApis } from "./google-apis.js";
import { describe, googleErrorFrom, isServiceDisabled } from "./google-error.js";
import { checkParams } from "./params.js";
import { chooseSigningAuth } from "./signing-identity.js";
import { checkToken } from "./token-check.js";

export interface DoctorOptions {
  /** The copy of the function checked: a kit instance, or the cloned codebase. */
  readonly installation: Installation;
  /** The project as `--project` names it, its alias resolved from `.firebaserc`. */
  readonly target: DeployTarget;
  /** Fleet Engine resources to fetch with minted tokens (--vehicle, --trip, ...). */
  readonly resources: Readonly<Partial<Record<ResourceKind, string>>>;
  readonly impersonate: boolean;
  /** Report token types with different roles sharing a signing account as WARN, not FAIL. */
  readonly allowSharedSigner: boolean;
}

export interface DoctorDeps {
  /** Application Default Credentials. */
  readonly adc: GoogleAuth;
  readonly endpoints: Endpoints;
  readonly nowMillis: () => number;
}

/** An ID for the claim of a token that is only decoded, never sent (no resource flag given). */
export const PLACEHOLDER_ID = "doctor-check";

/** The preflight: params, credentials, accounts and roles, one real signJwt per type, Fleet Engine. */
export async function runDoctor(options: DoctorOptions, deps: DoctorDeps): Promise<Checklist> {
  const project = options.target.projectId;
  const checklist = new Checklist();
  checklist.heading(`Params (${displayPath(options.installation.configDir)})`);
  const params = checkParams(
    checklist,
    { installation: options.installation, target: options.target },
    { allowSharedSigner: options.allowSharedSigner },
  );
  if (params === undefined) return checklist;

  checklist.heading("Credentials and project");
  let principal: string | undefined;
  try {
    await deps.adc.getAccessToken();
    principal = (await deps.adc.getCredentials()).client_email;
    checklist.add({
      status: "pass",
      title: "Application Default Credentials",
      detail: principal ?? "user credentials",
    });
  } catch (thrown) {
    checklist.add({
      status: "fail",
      title: "Application Default Credentials",
      detail: describe(googleErrorFrom(thrown)),
      advice: ["sign in for ADC: gcloud auth application-default login"],
    });
    return checklist;
  }
  const apis = new GoogleApis(deps.adc, deps.endpoints);
  const facts = new AccountFacts(apis);
  const runtime = await resolveRuntimeAccount(checklist, apis, project, params.runtimeAccount);
  if (runtime === undefined) return checklist;
  const ownPolicy = checkProjectPolicy(checklist, await apis.projectPolicy(project), project);
  const projectPolicy =
    ownPolicy === undefined ? undefined : await readEffectivePolicy(apis, project, ownPolicy);

  checklist.heading(
    `Deployed function (${options.installation.regionParam} ${params.config.region})`,
  );
  await checkDeployedFunction(checklist, apis, {
    installation: options.installation,
    project,
    region: params.config.region,
    runtime,
  });

  checklist.heading(`Runtime account ${runtime}`);
  await checkAccountExists(checklist, facts, runtime, project);
  if (projectPolicy !== undefined) {
    checkRuntimeRoles(checklist, projectPolicy, runtime, project, params);
  }
  const signingAuth = await chooseSigningAuth(checklist, {
    adc: deps.adc,
    adcPrincipal: principal,
    runtimeAccount: runtime,
    impersonate: options.impersonate,
    project,
    endpoints: deps.endpoints,
  });

  const enabled = params.config.enabledTypes;
  for (const type of enabled) {
    const account = params.config.signerAccounts[type] ?? runtime;
    checklist.heading(`${type} tokens, signed by ${account}`);
    await checkAccountExists(checklist, facts, account, project);
    const expectedRoles = enabled
      .filter((other) => (params.config.signerAccounts[other] ?? runtime) === account)
      .map((other) => TOKEN_TYPE_SPECS[other].fleetEngineRole);
    const accountRoles =
      projectPolicy === undefined
        ? undefined
        : checkSignerRoles(checklist, projectPolicy, account, [...new Set(expectedRoles)], project);
    await checkTokenCreator(checklist, facts, account, runtime, projectPolicy, project);
    if (signingAuth === undefined) {
      checklist.add({
        status: "skip",
        title: "signJwt",
        detail: "no signing identity (see above)",
      });
      continue;
    }
    const kind = kindOf(type);
    const resourceId = kind === undefined ? undefined : (options.resources[kind] ?? PLACEHOLDER_ID);
    const jwt = await signAndCheck(checklist, {
      type,
      account,
      resourceId,
      auth: signingAuth,
      deps,
      ttlSeconds: params.config.ttlSeconds,
      signingAs: options.impersonate ? runtime : (principal ?? "your credentials"),
      project,
    });
    if (jwt === undefined) continue;
    for (const [resource, id] of Object.entries(options.resources) as [ResourceKind, string][]) {
      if (!typesFor(resource).includes(type)) continue;
      const refusal = await getResource(deps.endpoints.fleetEngine, project, resource, id, jwt);
      const title = `Fleet Engine GET ${resourcePath(project, resource, id)}`;
      if (refusal === undefined) {
        checklist.add({ status: "pass", title, detail: `answered with the ${type} token` });
        continue;
      }
      const authorization = authorizationFor(type, kind === undefined ? undefined : id);
      const { detail, advice } = explainRefusal(refusal, {
        project,
        type,
        account,
        kind: resource,
        id,
        authorization,
        ...(accountRoles === undefined ? {} : { accountRoles }),
      });
      checklist.add({ status: "fail", title, detail, advice });
    }
  }
  reportDisabledTypes(checklist, options, enabled);
  if (Object.keys(options.resources).length === 0) {
    checklist.heading("Fleet Engine");
    checklist.add({
      status: "skip",
      title: "Fleet Engine calls",
      detail: `pass ${Object.values(RESOURCES)
        .map((spec) => spec.flag)
        .join(", ")} with existing IDs to call Fleet Engine with the minted tokens`,
    });
  }
  return checklist;
}

/**
 * A resource flag names types that ENABLED_TOKEN_TYPES leaves out: say so rather than go quiet.
 * An opt-in type (trustedDeliveryDriver) left out is its intended default, not worth a line.
 */
function reportDisabledTypes(
  checklist: Checklist,
  options: DoctorOptions,
  enabled: readonly TokenType[],
): void {
  const project = options.target.projectId;
  const skipped = (Object.entries(options.resources) as [ResourceKind, string][]).flatMap(
    ([kind, id]) =>
      typesFor(kind)
        .filter((type) => !enabled.includes(type) && TOKEN_TYPE_SPECS[type].optIn !== true)
        .map((type) => ({ kind, id, type })),
  );
  if (skipped.length === 0) return;
  const paramsFile = displayPath(
    path.join(options.installation.configDir, `.env.${options.target.alias ?? project}`),
  );
  checklist.heading("Token types not enabled");
  for (const { kind, id, type } of skipped) {
    checklist.add({
      status: "skip",
      title: `Fleet Engine GET ${resourcePath(project, kind, id)} with a ${type} token`,
      detail: `${type} is not enabled (ENABLED_TOKEN_TYPES=${enabled.join(",")}), so the function never signs one`,
      advice: [`to serve it, add ${type} to ENABLED_TOKEN_TYPES in ${paramsFile} and deploy again`],
    });
  }
}

interface SignInput {
  readonly type: TokenType;
  readonly account: string;
  readonly resourceId: string | undefined;
  readonly auth: GoogleAuth;
  readonly deps: DoctorDeps;
  readonly ttlSeconds: number;
  readonly signingAs: string;
  readonly project: string;
}

/** One real signJwt through the function's IamSigner, then the decoded token checked. */
async function signAndCheck(checklist: Checklist, input: SignInput): Promise<string | undefined> {
  const { type, account, deps } = input;
  const signer = new IamSigner({
    credentials: googleAuthCredentials(input.auth),
    account,
    baseUrl: deps.endpoints.iamCredentials,
  });
  const claims = buildClaims(
    account,
    authorizationFor(type, input.resourceId),
    deps.nowMillis(),
    input.ttlSeconds,
  );
  let jwt: string;
  try {
    jwt = await signer.signJwt(claims);
  } catch (thrown) {
    const error = thrown instanceof TokenServiceError ? thrown : undefined;
    const google = googleErrorFrom(error?.cause ?? thrown);
    const advice =
      error?.code === ErrorCode.Misconfigured
        ? isServiceDisabled(google)
          ? [`the IAM Credentials API is not enabled: ${setupIamCommand(input.project)}`]
          : [
              `${input.signingAs} needs ${TOKEN_CREATOR_ROLE} on ${account} (and the account must exist)`,
              `${setupIamCommand(input.project)} grants it to the runtime account`,
            ]
        : ["IAM did not answer in time or answered oddly; retry later"];
    checklist.add({
      status: "fail",
      title: `signJwt as ${account}`,
      detail: `${describe(google)}`,
      advice,
    });
    return undefined;
  }
  checklist.add({
    status: "pass",
    title: `signJwt as ${account}`,
    detail: `IAM signed a ${type} token`,
  });
  const findings = checkToken(jwt, claims, Math.floor(deps.nowMillis() / 1000));
  checklist.add(
    findings.problems.length === 0
      ? { status: "pass", title: "token claims and lifetime", detail: findings.summary }
      : {
          status: "fail",
          title: "token claims and lifetime",
          detail: findings.problems.join("; "),
        },
  );
  return findings.problems.length === 0 ? jwt : undefined;
}
