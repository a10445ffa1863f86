import type { TokenType } from "../token-types.js";
import type { AuthorizationClaim } from "./response.js";

export type { AuthorizationClaim } from "./response.js";

/** Fleet Engine's audience; the trailing slash is part of the value. */
export const FLEET_ENGINE_AUDIENCE = "https://fleetengine.googleapis.com/";

/** Fleet Engine refuses tokens whose `exp` is more than an hour away. */
export const MAX_TTL_SECONDS = 3600;
/** The client SDKs want at least 5 minutes of life left on a token they are handed. */
export const MIN_TTL_SECONDS = 300;

export const WILDCARD = "*";

/** Exactly the claims a Fleet Engine JWT carries, nothing more. */
export interface FleetEngineClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: typeof FLEET_ENGINE_AUDIENCE;
  readonly iat: number;
  readonly exp: number;
  readonly authorization: AuthorizationClaim;
}

/**
 * The `authorization` claim of each type. Wildcards appear only for the two operator types;
 * every other type names exactly its resources: one vehicle, trip, delivery vehicle, tracking ID
 * or task, or a trusted driver's delivery vehicle with, optionally, one task of it (Google's
 * trusted-driver claims, `{deliveryvehicleid}` merged with `{taskid}`).
 */
export function authorizationFor(
  type: TokenType,
  resourceId: string | undefined,
  taskId?: string,
): AuthorizationClaim {
  if (taskId !== undefined && type !== "trustedDeliveryDriver" && type !== "deliveryConsumer") {
    throw new Error(`a ${type} token names no task`);
  }
  switch (type) {
    case "driver":
      return { vehicleid: requireId(type, resourceId) };
    case "consumer":
      return { tripid: requireId(type, resourceId) };
    case "deliveryDriver":
      return { deliveryvehicleid: requireId(type, resourceId) };
    case "trustedDeliveryDriver":
      return taskId === undefined
        ? { deliveryvehicleid: requireId(type, resourceId) }
        : { deliveryvehicleid: requireId(type, resourceId), taskid: requireId(type, taskId) };
    case "deliveryConsumer":
      if (taskId !== undefined) {
        // One thing to follow: a task or a tracking ID, never both.
        if (resourceId !== undefined) throw new Error("a deliveryConsumer token names one ID");
        return { taskid: requireId(type, taskId) };
      }
      return { trackingid: requireId(type, resourceId) };
    case "fleetReader":
      return { vehicleid: WILDCARD, tripid: WILDCARD };
    case "deliveryFleetReader":
      return { deliveryvehicleid: WILDCARD, taskid: WILDCARD, trackingid: WILDCARD };
  }
}

function requireId(type: TokenType, resourceId: string | undefined): string {
  // A programming error, not a client error: entitlement always supplies the ID.
  if (resourceId === undefined || resourceId === "" || resourceId.includes(WILDCARD)) {
    throw new Error(`a ${type} token needs one concrete resource ID`);
  }
  return resourceId;
}

/** Builds the claim set for a token signed by `account`, issued at `nowMillis`. */
export function buildClaims(
  account: string,
  authorization: AuthorizationClaim,
  nowMillis: number,
  ttlSeconds: number,
): FleetEngineClaims {
  const iat = Math.floor(nowMillis / 1000);
  return {
    iss: account,
    sub: account,
    aud: FLEET_ENGINE_AUDIENCE,
    iat,
    exp: iat + ttlSeconds,
    authorization,
  };
}
