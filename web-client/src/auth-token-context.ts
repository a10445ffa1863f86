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

type ContextField = "vehicleId" | "tripId" | "deliveryVehicleId" | "trackingId" | "taskId";

/**
 * Which context IDs go into the request of each type: `one` of them (the first the context
 * has) is required, `optional` ones are passed when the context has them. The operator types
 * take none: their wildcard tokens cover every ID of the context.
 */
const CONTEXT_FIELDS: {
  readonly [T in TokenType]: {
    readonly one?: readonly ContextField[];
    readonly optional?: readonly ContextField[];
  };
} = {
  driver: { optional: ["vehicleId"] },
  consumer: { one: ["tripId"] },
  deliveryDriver: { optional: ["deliveryVehicleId"] },
  // A trusted driver's token names their vehicle and, when the SDK asks for a task, that task.
  trustedDeliveryDriver: { optional: ["deliveryVehicleId", "taskId"] },
  // Shipment tracking names a tracking ID; a context with none may name the task itself.
  deliveryConsumer: { one: ["trackingId", "taskId"] },
  fleetReader: {},
  deliveryFleetReader: {},
};

/** A request and the cache key it belongs under (type and the IDs it names). */
export interface KeyedRequest {
  readonly request: FleetEngineTokenRequest;
  readonly key: string;
}

/**
 * Maps the IDs the SDK put in the context to the request of `type`. IDs that do not belong to
 * the type are ignored (an operator's wildcard token covers them). A type that needs an ID the
 * context lacks is refused here, before any call. The key names the type and each ID with its
 * field (Fleet Engine IDs hold no `:`), so that a task and a tracking ID never share a token.
 */
export function requestForContext(type: TokenType, context: AuthTokenContext): KeyedRequest {
  const fields = CONTEXT_FIELDS[type];
  const has = (field: ContextField): boolean => {
    const id = context[field];
    return id !== undefined && id !== null && id !== "";
  };
  const chosen: ContextField[] = [];
  if (fields.one !== undefined) {
    const first = fields.one.find(has);
    if (first === undefined) {
      const names = fields.one.map((field) => `context.${field}`).join(" or ");
      throw new FleetEngineTokenError(
        "invalid-argument",
        `A ${type} token needs ${names}, and the SDK asked without one.`,
      );
    }
    chosen.push(first);
  }
  chosen.push(...(fields.optional ?? []).filter(has));
  const request: Record<string, string> = { type };
  let key = `${type}:`;
  for (const field of chosen) {
    const id = context[field] as string;
    request[field] = id;
    key += `${field}=${id}:`;
  }
  return { request: request as unknown as FleetEngineTokenRequest, key };
}
