import { FleetEngineTokenError } from "./errors.js";
import type { FleetEngineTokenRequest, TokenType } from "./token-types.js";

/**
 * The Maps JavaScript journey-sharing and fleet-tracking types this package implements,
 * written out so that the package does not depend on @types/google.maps. They accept what
 * `google.maps.journeySharing.AuthTokenFetcherOptions` passes (a type test checks it).
 */
export interface AuthTokenContext {
  deliveryVehicleId?: string | null;
  taskId?: string | null;
  trackingId?: string | null;
  tripId?: string | null;
  vehicleId?: string | null;
}

export interface AuthTokenFetcherOptions {
  context: AuthTokenContext;
  /** `TRIP_SERVICE`, `DELIVERY_VEHICLE_SERVICE`, `TASK_SERVICE`, ... (not needed to mint). */
  serviceType: string;
}

export interface AuthToken {
  token: string;
  /** SECONDS from now until the token expires. */
  expiresInSeconds: number;
}

export type AuthTokenFetcher = (options: AuthTokenFetcherOptions) => Promise<AuthToken>;

/** Which context ID names the resource of each type, and whether the service needs it. */
const RESOURCE_OF: {
  readonly [T in TokenType]?: {
    readonly field: "vehicleId" | "tripId" | "deliveryVehicleId" | "trackingId";
    readonly required: boolean;
  };
} = {
  driver: { field: "vehicleId", required: false },
  consumer: { field: "tripId", required: true },
  deliveryDriver: { field: "deliveryVehicleId", required: false },
  deliveryConsumer: { field: "trackingId", required: true },
  // fleetReader, deliveryFleetReader: wildcard tokens; the context's IDs are all covered.
};

/** A request and the cache key it belongs under (type and resource ID). */
export interface KeyedRequest {
  readonly request: FleetEngineTokenRequest;
  readonly key: string;
}

/**
 * Maps the IDs the SDK put in the context to the request of `type`. IDs that do not belong to
 * the type are ignored (an operator's wildcard token covers them; `taskId` has no request
 * field). A type that needs an ID the context lacks is refused here, before any call.
 */
export function requestForContext(type: TokenType, context: AuthTokenContext): KeyedRequest {
  const resource = RESOURCE_OF[type];
  const id = resource === undefined ? undefined : context[resource.field];
  if (resource === undefined || id === undefined || id === null || id === "") {
    if (resource?.required) {
      throw new FleetEngineTokenError(
        "invalid-argument",
        `A ${type} token needs context.${resource.field}, and the SDK asked without one.`,
      );
    }
    return { request: { type } as FleetEngineTokenRequest, key: `${type}:` };
  }
  return {
    request: { type, [resource.field]: id } as FleetEngineTokenRequest,
    key: `${type}:${id}`,
  };
}
