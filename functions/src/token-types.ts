/**
 * The token types a client may ask for, and for each one what it is about. This table is the
 * single place that says which request field names the resource, which claim keys the token
 * carries and which param picks its signing account. There is deliberately no admin/server type.
 */

export const TOKEN_TYPES = [
  "driver",
  "consumer",
  "deliveryDriver",
  "deliveryConsumer",
  "fleetReader",
  "deliveryFleetReader",
] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];

/** Request fields that carry a Fleet Engine resource ID. */
export const RESOURCE_FIELDS = ["vehicleId", "tripId", "deliveryVehicleId", "trackingId"] as const;
export type ResourceField = (typeof RESOURCE_FIELDS)[number];

/** How a caller comes to be entitled to a type. */
export type EntitlementKind =
  /** `drivers/{uid}` names the caller's vehicle in `field`. */
  | { kind: "assigned-vehicle"; field: "vehicleId" | "deliveryVehicleId" }
  /** `trips/{tripId}` lists the caller in `consumerUids` and is not over. */
  | { kind: "trip-consumer" }
  /** `shipments/{trackingId}` lists the caller in `consumerUids`. */
  | { kind: "shipment-consumer" }
  /** The caller's Firebase Auth token carries the operator custom claim. */
  | { kind: "operator-claim" };

export interface TokenTypeSpec {
  readonly type: TokenType;
  /** The request field naming the resource, `required` or `optional`; absent for operator types. */
  readonly resource?: { readonly field: ResourceField; readonly presence: "required" | "optional" };
  readonly entitlement: EntitlementKind;
  /** Fleet Engine role the signing service account must hold (documented, checked by doctor). */
  readonly fleetEngineRole: string;
  /** Name of the param that may set this type's signing service account. */
  readonly signerParam: string;
}

export const TOKEN_TYPE_SPECS: Readonly<Record<TokenType, TokenTypeSpec>> = {
  driver: {
    type: "driver",
    resource: { field: "vehicleId", presence: "optional" },
    entitlement: { kind: "assigned-vehicle", field: "vehicleId" },
    fleetEngineRole: "roles/fleetengine.driverSdkUser",
    signerParam: "DRIVER_SIGNER_ACCOUNT",
  },
  consumer: {
    type: "consumer",
    resource: { field: "tripId", presence: "required" },
    entitlement: { kind: "trip-consumer" },
    fleetEngineRole: "roles/fleetengine.consumerSdkUser",
    signerParam: "CONSUMER_SIGNER_ACCOUNT",
  },
  deliveryDriver: {
    type: "deliveryDriver",
    resource: { field: "deliveryVehicleId", presence: "optional" },
    entitlement: { kind: "assigned-vehicle", field: "deliveryVehicleId" },
    fleetEngineRole: "roles/fleetengine.deliveryUntrustedDriver",
    signerParam: "DELIVERY_DRIVER_SIGNER_ACCOUNT",
  },
  deliveryConsumer: {
    type: "deliveryConsumer",
    resource: { field: "trackingId", presence: "required" },
    entitlement: { kind: "shipment-consumer" },
    fleetEngineRole: "roles/fleetengine.deliveryConsumer",
    signerParam: "DELIVERY_CONSUMER_SIGNER_ACCOUNT",
  },
  fleetReader: {
    type: "fleetReader",
    entitlement: { kind: "operator-claim" },
    fleetEngineRole: "roles/fleetengine.viewer",
    signerParam: "FLEET_READER_SIGNER_ACCOUNT",
  },
  deliveryFleetReader: {
    type: "deliveryFleetReader",
    entitlement: { kind: "operator-claim" },
    fleetEngineRole: "roles/fleetengine.deliveryFleetReader",
    signerParam: "DELIVERY_FLEET_READER_SIGNER_ACCOUNT",
  },
};

/** The custom claim that marks an operator (set with the Admin SDK's setCustomUserClaims). */
export const OPERATOR_CLAIM = "fleetReader";

export function isTokenType(value: unknown): value is TokenType {
  return typeof value === "string" && (TOKEN_TYPES as readonly string[]).includes(value);
}
