import { existsSync } from "node:fs";
import { callableUrl } from "../shared/deployment.js";
import { loadDeployParams, ParamsFileError, readParamsFiles } from "../shared/env-file.js";
import {
  ALL_PARAMS,
  TOKEN_TYPES,
  TokenServiceError,
  consumeAppCheckToken,
  enforceAppCheck,
  loadConfig,
  resolveRuntimeAccount,
  runtimeServiceAccount,
  type Config,
} from "../shared/functions-code.js";
import { displayPath, projectEnvFile } from "../shared/paths.js";
import type { Checklist } from "./checklist.js";
import { checkDevOnlyVariables } from "./dev-only-env.js";
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

/** Every param the function declares: loadConfig sees exactly the deploy's values, nothing else. */
const PARAM_NAMES = ALL_PARAMS.map((param) => param.name);

/** Runs the function's loadConfig on exactly these values, whatever this shell has set. */
function loadConfigFrom(values: Readonly<Record<string, string>>): Config {
  const saved = new Map(PARAM_NAMES.map((name) => [name, process.env[name]]));
  try {
    for (const name of PARAM_NAMES) {
      const value = values[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    return loadConfig();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}


/** Checks the params and reports them; undefined when they are too broken to go on. */
export function checkParams(
  checklist: Checklist,
  functionsDir: string,
  project: string,
  options: { readonly allowSharedSigner: boolean },
): DeployParams | undefined {
  const envFile = projectEnvFile(functionsDir, project);
  let values: Record<string, string>;
  try {
    values = loadDeployParams(functionsDir, project);
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
  if (!existsSync(envFile)) {
    checklist.add({
      status: "warn",
      title: `${displayPath(envFile)} does not exist`,
      detail:
        "only functions/.env applies to this project; setup:iam writes the per-project params",
      advice: [`npm run setup:iam -- --project ${project} --apply writes it`],
    });
  }

  const files = readParamsFiles(functionsDir, project);
  checkDevOnlyVariables(checklist, files);

  // Every bad data-model, region or types param at once, each naming its file and value.
  const modelProblems = modelParamProblems(values, files);
  for (const problem of modelProblems) checklist.add(problem);
  if (modelProblems.length > 0) return undefined;

  let config: Config;
  try {
    config = loadConfigFrom(values);
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
      `valid as firebase deploy would read them (${displayPath(functionsDir)}/.env` +
      `${existsSync(envFile) ? ` + .env.${project}` : ""}): region ${config.region} ` +
      `(${callableUrl(config.region, project)}), ` +
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
      advice: [`npm run setup:iam -- --project ${project} --apply gives each type its own account`],
    });
  }
  checkSignerSharing(checklist, {
    project,
    enabled,
    signerAccounts: config.signerAccounts,
    runtimeAccount,
    allowSharedSigner: options.allowSharedSigner,
  });
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
