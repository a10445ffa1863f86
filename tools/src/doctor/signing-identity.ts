import { setupIamCommand } from "../shared/commands.js";
import { GoogleAuth, Impersonated } from "google-auth-library";
import { TOKEN_CREATOR_ROLE } from "../shared/roles.js";
import { formatCommand } from "../shared/shell.js";
import type { Checklist } from "./checklist.js";
import type { Endpoints } from "./endpoints.js";
import { describe, googleErrorFrom, isServiceDisabled } from "./google-error.js";

export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/**
 * Who signs during the doctor run. By default the doctor impersonates the function's runtime
 * account, so that each signJwt is exactly the call the deployed function makes; that needs Token
 * Creator for you on the runtime account (setup:iam --operator). --no-impersonate signs with your
 * own credentials instead, which then need Token Creator on each signing account.
 */
export async function chooseSigningAuth(
  checklist: Checklist,
  options: {
    adc: GoogleAuth;
    adcPrincipal: string | undefined;
    runtimeAccount: string;
    impersonate: boolean;
    project: string;
    endpoints: Endpoints;
  },
): Promise<GoogleAuth | undefined> {
  const { adc, runtimeAccount, project } = options;
  if (!options.impersonate || options.adcPrincipal === runtimeAccount) {
    checklist.add({
      status: options.adcPrincipal === runtimeAccount ? "pass" : "warn",
      title: "signing identity",
      detail:
        options.adcPrincipal === runtimeAccount
          ? `your credentials are the runtime account ${runtimeAccount}: signing exactly as the function`
          : `signing as your own credentials (--no-impersonate), not as the runtime account; ` +
            "whether the runtime account may sign is checked from IAM policies only",
    });
    return adc;
  }
  const impersonated = new Impersonated({
    sourceClient: await adc.getClient(),
    targetPrincipal: runtimeAccount,
    targetScopes: [CLOUD_PLATFORM_SCOPE],
    lifetime: 900,
    delegates: [],
    endpoint: options.endpoints.iamCredentials,
  });
  try {
    await impersonated.getAccessToken();
  } catch (thrown) {
    const error = googleErrorFrom(thrown);
    checklist.add({
      status: "fail",
      title: `impersonate the runtime account ${runtimeAccount}`,
      detail: describe(error),
      advice: isServiceDisabled(error)
        ? [`the IAM Credentials API is not enabled: ${setupIamCommand(project)}`]
        : [
            "doctor signs as the runtime account, like the deployed function; for that your " +
              `credentials need ${TOKEN_CREATOR_ROLE} on it:`,
            setupIamCommand(project, " --operator user:YOUR_EMAIL"),
            `or: ${formatCommand("gcloud", [
              "iam",
              "service-accounts",
              "add-iam-policy-binding",
              runtimeAccount,
              `--project=${project}`,
              "--member=user:YOUR_EMAIL",
              `--role=${TOKEN_CREATOR_ROLE}`,
            ])}`,
            "or run doctor with --no-impersonate to sign with your own credentials",
          ],
    });
    return undefined;
  }
  checklist.add({
    status: "pass",
    title: "signing identity",
    detail: `impersonating the runtime account ${runtimeAccount}: every signJwt below is the function's own call`,
  });
  return new GoogleAuth({ authClient: impersonated });
}
