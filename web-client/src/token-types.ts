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
  /** Shipment tracking for one shipment the caller receives. */
  deliveryConsumer: { type: "deliveryConsumer"; trackingId: string };
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
  deliveryConsumer: { trackingid: string };
  fleetReader: { vehicleid: "*"; tripid: "*" };
  deliveryFleetReader: { deliveryvehicleid: "*"; taskid: "*"; trackingid: "*" };
}

/** The claim keys of each type, for checking what the service answered. */
export const AUTHORIZATION_KEYS: { readonly [T in TokenType]: readonly string[] } = {
  driver: ["vehicleid"],
  consumer: ["tripid"],
  deliveryDriver: ["deliveryvehicleid"],
  deliveryConsumer: ["trackingid"],
  fleetReader: ["vehicleid", "tripid"],
  deliveryFleetReader: ["deliveryvehicleid", "taskid", "trackingid"],
};

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
