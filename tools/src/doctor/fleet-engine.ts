import { setupIamCommand } from "../shared/commands.js";
import { TOKEN_TYPE_SPECS, type TokenType } from "../shared/functions-code.js";
import { googleErrorFromBody, isServiceDisabled, type GoogleError } from "./google-error.js";
import { grantProjectRoleCommand } from "../shared/gcloud-commands.js";

/**
 * Fleet Engine's REST API, called with a minted token the way a client SDK would, and its
 * refusals translated into what to fix.
 */

export type ResourceKind = "vehicle" | "trip" | "deliveryVehicle" | "tracking";

export interface ResourceSpec {
  readonly flag: string;
  readonly noun: string;
  /** Path segment under providers/{project}/. */
  readonly collection: string;
  /** The request field of the token types that name this resource (TOKEN_TYPE_SPECS). */
  readonly field: string;
  /** The authorization claim key Fleet Engine compares with the ID. */
  readonly claim: string;
  /** The operator type that may read every resource of this kind. */
  readonly readerType: TokenType;
}

export const RESOURCES: Readonly<Record<ResourceKind, ResourceSpec>> = {
  vehicle: {
    flag: "--vehicle",
    noun: "vehicle",
    collection: "vehicles",
    field: "vehicleId",
    claim: "vehicleid",
    readerType: "fleetReader",
  },
  trip: {
    flag: "--trip",
    noun: "trip",
    collection: "trips",
    field: "tripId",
    claim: "tripid",
    readerType: "fleetReader",
  },
  deliveryVehicle: {
    flag: "--delivery-vehicle",
    noun: "delivery vehicle",
    collection: "deliveryVehicles",
    field: "deliveryVehicleId",
    claim: "deliveryvehicleid",
    readerType: "deliveryFleetReader",
  },
  tracking: {
    flag: "--tracking",
    noun: "tracking ID",
    collection: "taskTrackingInfo",
    field: "trackingId",
    claim: "trackingid",
    readerType: "deliveryFleetReader",
  },
};

/** The token types that can read a resource of this kind: its own type, then the operator type. */
export function typesFor(kind: ResourceKind): TokenType[] {
  const spec = RESOURCES[kind];
  const own = (Object.keys(TOKEN_TYPE_SPECS) as TokenType[]).filter(
    (type) => TOKEN_TYPE_SPECS[type].resource?.field === spec.field,
  );
  return [...own, spec.readerType];
}

/** The resource kind whose ID a token type's claim names, if any. */
export function kindOf(type: TokenType): ResourceKind | undefined {
  const field = TOKEN_TYPE_SPECS[type].resource?.field;
  return (Object.keys(RESOURCES) as ResourceKind[]).find((kind) => RESOURCES[kind].field === field);
}

export function resourcePath(project: string, kind: ResourceKind, id: string): string {
  return `providers/${project}/${RESOURCES[kind].collection}/${encodeURIComponent(id)}`;
}

/** GETs the resource with the token; undefined on success. */
export async function getResource(
  baseUrl: string,
  project: string,
  kind: ResourceKind,
  id: string,
  jwt: string,
): Promise<GoogleError | undefined> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/v1/${resourcePath(project, kind, id)}`, {
      headers: { authorization: `Bearer ${jwt}` },
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    return { message: error instanceof Error ? error.message : String(error), reasons: [] };
  }
  if (response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  return googleErrorFromBody(response.status, body);
}

export interface RefusalContext {
  readonly project: string;
  readonly type: TokenType;
  readonly account: string;
  readonly kind: ResourceKind;
  readonly id: string;
  readonly authorization: Readonly<Record<string, string>>;
  /** The signing account's project roles, when the doctor could read the policy. */
  readonly accountRoles?: readonly string[];
}

/** What Fleet Engine's refusal means and what to do, naming the account, role and claim. */
export function explainRefusal(
  error: GoogleError,
  context: RefusalContext,
): { detail: string; advice: string[] } {
  const spec = RESOURCES[context.kind];
  const role = TOKEN_TYPE_SPECS[context.type].fleetEngineRole;
  const said = `Fleet Engine said: ${error.message}`;
  if (error.httpStatus === undefined) {
    return { detail: `no answer from Fleet Engine (${error.message})`, advice: ["retry later"] };
  }
  if (isServiceDisabled(error)) {
    return {
      detail: `the Fleet Engine API is not enabled in project ${context.project}`,
      advice: [
        `${setupIamCommand(context.project)} enables it`,
        "Fleet Engine must also be provisioned for the project (see Google's Fleet Engine setup)",
        said,
      ],
    };
  }
  const claimValue = context.authorization[spec.claim];
  const claim = `authorization.${spec.claim}=${JSON.stringify(claimValue ?? null)}`;
  switch (error.httpStatus) {
    case 401:
      return {
        detail: "Fleet Engine did not accept the token itself (signature, audience or lifetime)",
        advice: ["check this machine's clock: iat must be within 10 minutes of Google's", said],
      };
    case 403: {
      const grant = grantProjectRoleCommand(
        context.project,
        `serviceAccount:${context.account}`,
        role,
      );
      if (context.accountRoles !== undefined && !context.accountRoles.includes(role)) {
        return {
          detail: `PERMISSION_DENIED: ${context.account} lacks ${role}, the role ${context.type} tokens need`,
          advice: [`${setupIamCommand(context.project)} grants it, or: ${grant}`, said],
        };
      }
      const claimAdvice =
        `the token's claim ${claim} did not match ${spec.noun} ${context.id}: ` +
        "Fleet Engine compares IDs exactly (case, Unicode normalisation, no extra spaces)";
      if (context.accountRoles !== undefined) {
        return {
          detail: `PERMISSION_DENIED although ${context.account} holds ${role}`,
          advice: [
            claimAdvice,
            "or the role was granted in the last minutes: IAM can take about 7 minutes to apply it",
            said,
          ],
        };
      }
      return {
        detail: `PERMISSION_DENIED for ${context.type} tokens signed by ${context.account}`,
        advice: [
          `either ${context.account} lacks ${role} (doctor could not read the project's IAM policy to tell): ${grant}`,
          `or ${claimAdvice}`,
          said,
        ],
      };
    }
    case 404:
      return {
        detail: `the token was accepted, but there is no ${spec.noun} ${context.id} in provider ${context.project}`,
        advice: [
          `create it from your backend first, or pass the ID of one that exists to ${spec.flag}`,
        ],
      };
    default:
      return { detail: `HTTP ${error.httpStatus} ${error.status ?? ""}`.trim(), advice: [said] };
  }
}
