/**
 * The callable's contract, as the client sees it: the token types, the request of each type and
 * the response. Mirrors functions/src/request.ts and functions/src/handler.ts; the integration
 * tests hold the two together.
 */

/** The token types a client may ask for. There is deliberately no admin or server type. */
export const TOKEN_TYPES = [
  "driver",
  "consumer",
  "deliveryDriver",
  "trustedDeliveryDriver",
  "deliveryConsumer",
  "fleetReader",
  "deliveryFleetReader",
] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];

/** The request (`data` of the callable) of each token type. Unknown keys are refused. */
export interface TokenRequestByType {
  /** Driver SDK, on-demand trips. Without `vehicleId`, the service uses the caller's vehicle. */
  driver: { type: "driver"; vehicleId?: string };
  /** Consumer SDK / journey sharing for one trip the caller rides. */
  consumer: { type: "consumer"; tripId: string };
  /** Driver SDK, scheduled tasks. Without `deliveryVehicleId`, the caller's delivery vehicle. */
  deliveryDriver: { type: "deliveryDriver"; deliveryVehicleId?: string };
  /**
   * Driver SDK on devices the company owns and manages (served only where the service enables
   * it). With `taskId`, a task of the caller's delivery vehicle, which the token then names too.
   */
  trustedDeliveryDriver: {
    type: "trustedDeliveryDriver";
    deliveryVehicleId?: string;
    taskId?: string;
  };
  /** Shipment tracking for one shipment the caller receives: by tracking ID, or by task ID. */
  deliveryConsumer:
    | { type: "deliveryConsumer"; trackingId: string; taskId?: never }
    | { type: "deliveryConsumer"; taskId: string; trackingId?: never };
  /** Operator dashboards (the caller needs the `fleetReader` custom claim). */
  fleetReader: { type: "fleetReader" };
  /** Delivery operator dashboards (the same custom claim). */
  deliveryFleetReader: { type: "deliveryFleetReader" };
}

export type FleetEngineTokenRequest<T extends TokenType = TokenType> = TokenRequestByType[T];

/** The `authorization` claim of each token type, as the service writes it. */
export interface AuthorizationByType {
  driver: { vehicleid: string };
  consumer: { tripid: string };
  deliveryDriver: { deliveryvehicleid: string };
  /** `taskid` when the request named a task. */
  trustedDeliveryDriver: { deliveryvehicleid: string; taskid?: string };
  /** `taskid` instead of `trackingid` when the request named a task. */
  deliveryConsumer: { trackingid: string } | { taskid: string };
  fleetReader: { vehicleid: "*"; tripid: "*" };
  deliveryFleetReader: { deliveryvehicleid: "*"; taskid: "*"; trackingid: "*" };
}

/** The claim keys of each type, for checking what the service answered to a request without a task. */
export const AUTHORIZATION_KEYS: { readonly [T in TokenType]: readonly string[] } = {
  driver: ["vehicleid"],
  consumer: ["tripid"],
  deliveryDriver: ["deliveryvehicleid"],
  trustedDeliveryDriver: ["deliveryvehicleid"],
  deliveryConsumer: ["trackingid"],
  fleetReader: ["vehicleid", "tripid"],
  deliveryFleetReader: ["deliveryvehicleid", "taskid", "trackingid"],
};

/**
 * The claim keys of the types that take a `taskId`, when the request names one: a trusted
 * driver's task beside the vehicle, a recipient's task instead of a tracking ID.
 */
export const TASK_AUTHORIZATION_KEYS: {
  readonly [T in TokenType]?: readonly string[];
} = {
  trustedDeliveryDriver: ["deliveryvehicleid", "taskid"],
  deliveryConsumer: ["taskid"],
};

/** The claim keys the service's answer to `request` must carry, exactly. */
export function authorizationKeysFor(request: FleetEngineTokenRequest): readonly string[] {
  const byTask = "taskId" in request && typeof request.taskId === "string";
  return (
    (byTask ? TASK_AUTHORIZATION_KEYS[request.type] : undefined) ?? AUTHORIZATION_KEYS[request.type]
  );
}

/** What the callable returns. */
export interface FleetEngineTokenResponse<T extends TokenType = TokenType> {
  /** The Fleet Engine JWT. Send it as `Authorization: Bearer <token>`; never log it. */
  readonly token: string;
  readonly type: T;
  /** The token's `authorization` claim, so that you need not decode the JWT. */
  readonly authorization: Readonly<AuthorizationByType[T]>;
  /** Whole SECONDS until the token expires, counted when the service minted it. */
  readonly expiresInSeconds: number;
  /** Absolute expiry, milliseconds since the epoch, by the service's clock. */
  readonly expiresAtMillis: number;
}

export function isTokenType(value: unknown): value is TokenType {
  return typeof value === "string" && (TOKEN_TYPES as readonly string[]).includes(value);
}
