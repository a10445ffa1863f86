/**
 * The token types a client may ask for, and for each one what it is about. This table is the
 * single place that says which request field names the resource, which claim keys the token
 * carries and which param picks its signing account. There is deliberately no admin/server type.
 */

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

/** Request fields that carry a Fleet Engine resource ID. */
export const RESOURCE_FIELDS = [
  "vehicleId",
  "tripId",
  "deliveryVehicleId",
  "trackingId",
  "taskId",
] as const;
export type ResourceField = (typeof RESOURCE_FIELDS)[number];

/** The request field that names a Fleet Engine task, for the types that take one. */
export const TASK_FIELD = "taskId" satisfies ResourceField;

/** How a caller comes to be entitled to a type. */
export type EntitlementKind =
  /**
   * `drivers/{uid}` names the caller's vehicle in `field`; a task the request names must be one
   * of that vehicle's (`tasks/{taskId}` names the vehicle).
   */
  | { kind: "assigned-vehicle"; field: "vehicleId" | "deliveryVehicleId" }
  /** `trips/{tripId}` lists the caller in `consumerUids` and is not over. */
  | { kind: "trip-consumer" }
  /**
   * `shipments/{trackingId}` lists the caller in `consumerUids`; or, when the request names a
   * task instead, `tasks/{taskId}` does.
   */
  | { kind: "shipment-consumer" }
  /** The caller's Firebase Auth token carries the operator custom claim. */
  | { kind: "operator-claim" };

export interface TokenTypeSpec {
  readonly type: TokenType;
  /** The request field naming the resource, `required` or `optional`; absent for operator types. */
  readonly resource?: { readonly field: ResourceField; readonly presence: "required" | "optional" };
  /**
   * Whether the request may name a task (`taskId`): `optional`, beside the resource (a trusted
   * driver's task, which must be on their vehicle: the token then names both); `instead`, in
   * place of the resource (exactly one of the two: a consumer following a task rather than a
   * tracking ID). Absent: the type takes no task.
   */
  readonly task?: "optional" | "instead";
  readonly entitlement: EntitlementKind;
  /** Fleet Engine role the signing service account must hold (documented, checked by doctor). */
  readonly fleetEngineRole: string;
  /** Name of the param that may set this type's signing service account. */
  readonly signerParam: string;
  /**
   * Left out of ENABLED_TOKEN_TYPES' default: an app must enable the type explicitly, because
   * its role is only for devices the company owns and manages.
   */
  readonly optIn?: true;
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
  trustedDeliveryDriver: {
    type: "trustedDeliveryDriver",
    resource: { field: "deliveryVehicleId", presence: "optional" },
    task: "optional",
    entitlement: { kind: "assigned-vehicle", field: "deliveryVehicleId" },
    // Google: only for driver apps on devices the company owns and manages; such a token may
    // update its vehicle and its tasks' outcomes.
    fleetEngineRole: "roles/fleetengine.deliveryTrustedDriver",
    signerParam: "TRUSTED_DELIVERY_DRIVER_SIGNER_ACCOUNT",
    optIn: true,
  },
  deliveryConsumer: {
    type: "deliveryConsumer",
    resource: { field: "trackingId", presence: "required" },
    task: "instead",
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

/** The types ENABLED_TOKEN_TYPES serves when it is not set: every type but the opt-in ones. */
export const DEFAULT_ENABLED_TOKEN_TYPES: readonly TokenType[] = Object.freeze(
  TOKEN_TYPES.filter((type) => TOKEN_TYPE_SPECS[type].optIn !== true),
);

/** The custom claim that marks an operator (set with the Admin SDK's setCustomUserClaims). */
export const OPERATOR_CLAIM = "fleetReader";

export function isTokenType(value: unknown): value is TokenType {
  return typeof value === "string" && (TOKEN_TYPES as readonly string[]).includes(value);
}
