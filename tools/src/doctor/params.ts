import path from "node:path";
import { setupIamCommand, toolCommand } from "../shared/commands.js";
import { callableUrl } from "../shared/deployment.js";
import {
  loadDeployParams,
  ParamsFileError,
  readParamsFiles,
  type DeployTarget,
  type ParamsFile,
} from "../shared/env-file.js";
import { configFromParams, paramNames } from "../shared/config-from-params.js";
import type { Installation } from "../shared/firebase-project.js";
import {
  TOKEN_TYPES,
  TokenServiceError,
  checkRevokedTokens,
  consumeAppCheckToken,
  enforceAppCheck,
  resolveRuntimeAccount,
  runtimeServiceAccount,
  type Config,
} from "../shared/functions-code.js";
import { displayPath } from "../shared/paths.js";
import type { Checklist } from "./checklist.js";
import { checkEnvKeys } from "./env-keys.js";
import { modelParamProblems } from "./model-params.js";
import { checkSignerSharing } from "./signer-sharing.js";

/**
 * The params as a deploy to the project would see them (functions/.env, then .env.<project>),
 * validated by the function's own loadConfig, plus the deploy-time options it does not read.
 */
export interface DeployParams {
  readonly config: Config;
  /** RUNTIME_SERVICE_ACCOUNT as an email; undefined = the Compute Engine default account. */
  readonly runtimeAccount?: string;
  readonly consumeAppCheckToken: boolean;
  /** CHECK_REVOKED_TOKENS: the runtime account must then be able to look users up. */
  readonly checkRevokedTokens: boolean;
}

/** Where the params of the deploy doctor checks come from. */
export interface ParamsSource {
  /** The copy checked; its configDir holds the env files (functions/, or a kit config folder). */
  readonly installation: Installation;
  /** The project as `--project` names it, an alias resolved (env-file.ts). */
  readonly target: DeployTarget;
}

/** How the deploy is invoked: `--project prod` for an alias, else the project ID. */
function invocation(target: DeployTarget): string {
  return target.alias ?? target.projectId;
}

/** Checks the params and reports them; undefined when they are too broken to go on. */
export function checkParams(
  checklist: Checklist,
  source: ParamsSource,
  options: { readonly allowSharedSigner: boolean },
): DeployParams | undefined {
  const { installation, target } = source;
  const { configDir } = installation;
  const project = target.projectId;
  let values: Record<string, string>;
  try {
    values = loadDeployParams(configDir, target);
  } catch (error) {
    if (!(error instanceof ParamsFileError)) throw error;
    checklist.add({
      status: "fail",
      title: "params files",
      detail: error.message,
      advice: ["firebase deploy would refuse these files too: fix the lines named above"],
    });
    return undefined;
  }
  const files = readParamsFiles(configDir, target);
  const deployed = files.filter((file) => file.role === "deploy");
  if (deployed.every((file) => file.name === ".env")) {
    checklist.add({
      status: "warn",
      title: `${displayPath(path.join(configDir, `.env.${invocation(target)}`))} does not exist`,
      detail: `only ${displayPath(path.join(configDir, ".env"))} applies to this project; setup-iam writes the per-project params`,
      advice: [`${setupIamCommand(project)} writes .env.${project}`],
    });
  }
  reportOtherAliases(checklist, configDir, target, files);
  checkEnvKeys(checklist, files, paramNames(installation));
  checkMissingParams(checklist, installation, values, target);

  // Every bad data-model, region or types param at once, each naming its file and value.
  const modelProblems = modelParamProblems(values, files, installation.regionParam);
  for (const problem of modelProblems) checklist.add(problem);
  if (modelProblems.length > 0) return undefined;

  let config: Config;
  try {
    config = configFromParams(values, installation);
  } catch (error) {
    if (!(error instanceof TokenServiceError)) throw error;
    const param = error.details.param;
    checklist.add({
      status: "fail",
      title: `param ${String(param ?? "")}`,
      detail: error.message,
      advice: ["every call of the deployed function would fail with failed-precondition"],
    });
    return undefined;
  }

  const problems: string[] = [];
  for (const param of [enforceAppCheck, consumeAppCheckToken]) {
    const value = values[param.name];
    if (value !== undefined && value !== "true" && value !== "false") {
      problems.push(`${param.name} must be true or false, not ${value}`);
    }
  }
  // As the deploy resolves it, and as the deployed function's shared-signer warning does.
  const resolved = resolveRuntimeAccount(values[runtimeServiceAccount.name], project);
  const runtimeAccount = resolved.kind === "email" ? resolved.email : undefined;
  if (resolved.kind === "invalid") problems.push(resolved.problem);
  if (problems.length > 0) {
    checklist.add({ status: "fail", title: "params", detail: problems.join("; ") });
    return undefined;
  }

  const enabled = config.enabledTypes;
  const disabled = TOKEN_TYPES.filter((type) => !enabled.includes(type));
  const signed = enabled.filter((type) => config.signerAccounts[type] !== undefined);
  checklist.add({
    status: "pass",
    title: "params",
    detail:
      `valid as firebase deploy --project ${invocation(target)} would read them ` +
      `(${displayPath(configDir)}/${deployed.map((file) => file.name).join(" + ")}): ` +
      `region ${config.region} ` +
      `(${callableUrl(installation, config.region, project)}), ` +
      `token types ${enabled.join(", ")}` +
      (disabled.length === 0 ? " (all)" : ` (not enabled: ${disabled.join(", ")})`) +
      `, ${signed.length} of ${enabled.length} with their own signing account, ` +
      `token lifetime ${config.ttlSeconds} s`,
  });
  const unsigned = enabled.filter((type) => config.signerAccounts[type] === undefined);
  if (unsigned.length > 0) {
    checklist.add({
      status: "warn",
      title: "token types without their own signing account",
      detail: `${unsigned.join(", ")}: signed by the runtime account, whose tokens carry all its roles`,
      advice: [`${setupIamCommand(project)} gives each type its own account`],
    });
  }
  checkSignerSharing(checklist, {
    project,
    enabled,
    signerAccounts: config.signerAccounts,
    runtimeAccount,
    allowSharedSigner: options.allowSharedSigner,
  });
  if (!config.checkRevokedTokens) {
    checklist.add({
      status: "warn",
      title: `${checkRevokedTokens.name}=false`,
      detail:
        "the function no longer looks callers up: a revoked session, a disabled or deleted " +
        "account and a demoted operator keep getting tokens for as long as their ID token lives " +
        "(up to an hour, longer if the client never refreshes it), because the claims then come " +
        "from the ID token; each such token is good for TOKEN_TTL_SECONDS more. It saves one " +
        "Firebase Auth lookup per call",
      advice: [
        `keep ${checkRevokedTokens.name}=true (the default) unless that lookup's latency matters more than cutting people off at once`,
      ],
    });
  }
  if (values[enforceAppCheck.name] === "false") {
    checklist.add({
      status: "warn",
      title: `${enforceAppCheck.name}=false`,
      detail: "calls without an App Check token are accepted; turn it on once your apps send one",
    });
  }
  return {
    config,
    ...(runtimeAccount === undefined ? {} : { runtimeAccount }),
    consumeAppCheckToken: values[consumeAppCheckToken.name] === "true",
    checkRevokedTokens: config.checkRevokedTokens,
  };
}

/**
 * `.env.<alias>` files of other aliases of the same project: a deploy invoked with such an
 * alias (`--project prod`, or `firebase use prod`) reads that file, and refuses to run when
 * `.env.<project ID>` exists too. Their dangerous keys are checked like the rest (env-keys.ts);
 * their values are the values of another deploy, which doctor checks when named that way.
 */
function reportOtherAliases(
  checklist: Checklist,
  configDir: string,
  target: DeployTarget,
  files: readonly ParamsFile[],
): void {
  const idFile = files.some((file) => file.name === `.env.${target.projectId}`);
  for (const file of files.filter((f) => f.role === "alias")) {
    const alias = file.name.slice(".env.".length);
    checklist.add({
      status: "warn",
      title: `${displayPath(file.path)} also configures ${target.projectId}`,
      detail:
        `a deploy invoked as firebase deploy --project ${alias} reads it` +
        (idFile
          ? `, and refuses to run while ${displayPath(path.join(configDir, `.env.${target.projectId}`))} exists too`
          : "") +
        `; doctor checked the deploy invoked as --project ${invocation(target)}`,
      advice: [
        `check that deploy too: ${toolCommand("doctor", `--project ${alias}`)}`,
        "keep one params file per project, named the way you deploy",
      ],
    });
  }
}

/**
 * Params without a value in the files the deploy reads. The cloned codebase's functions/.env
 * gives every param one; a kit instance installed with --no-configure, or after an upgrade that
 * added params, may not: an interactive deploy then asks for them, a non-interactive one (CI)
 * stops. The function itself would use each param's default.
 */
function checkMissingParams(
  checklist: Checklist,
  installation: Installation,
  values: Readonly<Record<string, string>>,
  target: DeployTarget,
): void {
  const missing = paramNames(installation).filter((name) => values[name] === undefined);
  if (missing.length === 0) return;
  const file = displayPath(
    path.join(installation.configDir, `.env.${target.alias ?? target.projectId}`),
  );
  checklist.add({
    status: "warn",
    title: "params without a value",
    detail:
      `${missing.join(", ")}: firebase deploy --project ${invocation(target)} would ask for them, ` +
      "and a non-interactive deploy (CI) stops",
    advice: [
      `give each a value in ${file} (README "Configuration" has the defaults), or deploy once interactively and accept them`,
    ],
  });
}
