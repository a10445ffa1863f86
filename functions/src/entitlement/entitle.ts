import { DEFAULT_FIELD_PATHS, type FieldPaths } from "../config/data-model.js";
import { ErrorCode, TokenServiceError } from "../errors.js";
import { isFleetEngineId, type TokenRequest } from "../request.js";
import { OPERATOR_CLAIM, TOKEN_TYPE_SPECS, type TokenType } from "../token-types.js";
import type { AssignmentRepository, StoredDocument } from "./assignments.js";
import { readField } from "./field-path.js";

/** The caller as the decision sees them. */
export interface Caller {
  readonly uid: string;
  /**
   * The caller's custom claims: from the user record at this call while CHECK_REVOKED_TOKENS is
   * on, from the presented ID token otherwise.
   */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** What the caller may have: one type, and for non-operator types exactly one resource. */
export interface Entitlement {
  readonly type: TokenType;
  /** The vehicle, trip, delivery vehicle or tracking ID; undefined for the operator types. */
  readonly resourceId: string | undefined;
}

/** The one stored document a decision needs (none for the operator types). */
export type Facts =
  | { readonly kind: "driver"; readonly document: StoredDocument | undefined }
  | { readonly kind: "trip"; readonly document: StoredDocument | undefined }
  | { readonly kind: "shipment"; readonly document: StoredDocument | undefined }
  | { readonly kind: "none" };

/** Why a caller was refused; logged, never sent to the caller (who always sees not-entitled). */
export type DenialReason =
  | "type-disabled"
  | "uid-not-document-id"
  | "no-driver-record"
  | "driver-inactive"
  | "no-vehicle-assigned"
  | "vehicle-mismatch"
  | "unknown-trip"
  | "not-trip-consumer"
  | "trip-ended"
  | "trip-status-unreadable"
  | "unknown-shipment"
  | "not-shipment-consumer"
  | "missing-operator-claim";

/**
 * Fleet Engine's non-terminal TripStatus values: a rider has something to watch only in these.
 * An allowlist, spelled exactly as Fleet Engine does (no case folding, no trimming): a status
 * this service does not know, a typo, or an app's own "COMPLETED" or "ARCHIVED" is a denial.
 */
export const LIVE_TRIP_STATUSES: ReadonlySet<string> = new Set([
  "NEW",
  "ENROUTE_TO_PICKUP",
  "ARRIVED_AT_PICKUP",
  "ARRIVED_AT_INTERMEDIATE_DESTINATION",
  "ENROUTE_TO_INTERMEDIATE_DESTINATION",
  "ENROUTE_TO_DROPOFF",
]);

/** Fleet Engine's terminal states: logged as trip-ended rather than as unreadable. */
const ENDED_TRIP_STATUSES: ReadonlySet<string> = new Set(["COMPLETE", "CANCELED"]);

export function deny(
  reason: DenialReason,
  resourceId?: string,
  extra: Readonly<Record<string, string>> = {},
): TokenServiceError {
  return new TokenServiceError(ErrorCode.NotEntitled, `not entitled: ${reason}`, {
    details: resourceId === undefined ? { reason, ...extra } : { reason, resourceId, ...extra },
  });
}

/** A consumers field holds an array of uids or one uid; anything else lists nobody. */
function listsCaller(consumers: unknown, uid: string): boolean {
  if (typeof consumers === "string") return consumers === uid;
  return Array.isArray(consumers) && consumers.some((entry) => entry === uid);
}

/**
 * Reads the one document the decision needs, by ID: the caller's driver record, the trip or
 * the shipment. Independent of the session check, so the two can run side by side.
 */
export async function lookUpFacts(
  uid: string,
  request: TokenRequest,
  assignments: AssignmentRepository,
): Promise<Facts> {
  const entitlement = TOKEN_TYPE_SPECS[request.type].entitlement;
  switch (entitlement.kind) {
    case "assigned-vehicle":
      return { kind: "driver", document: await assignments.getDriver(uid) };
    case "trip-consumer":
      return { kind: "trip", document: await assignments.getTrip(required(request.resourceId)) };
    case "shipment-consumer":
      return {
        kind: "shipment",
        document: await assignments.getShipment(required(request.resourceId)),
      };
    case "operator-claim":
      return { kind: "none" };
  }
}

/**
 * Decides whether `caller` may have the token `request` asks for, from the facts read for it.
 * Pure. Stored data is untrusted: anything but exactly the expected shape is a denial.
 */
export function entitle(
  caller: Caller,
  request: TokenRequest,
  facts: Facts,
  fields: FieldPaths = DEFAULT_FIELD_PATHS,
): Entitlement {
  const { type, resourceId } = request;
  const entitlement = TOKEN_TYPE_SPECS[type].entitlement;
  switch (entitlement.kind) {
    case "assigned-vehicle": {
      const driver = factsOf(facts, "driver");
      if (driver === undefined) throw deny("no-driver-record", resourceId);
      // Only an explicit `true` or an absent flag counts as active: fail closed on anything else.
      const active = readField(driver, fields.driverActive);
      if (active !== undefined && active !== true) throw deny("driver-inactive", resourceId);
      const field =
        entitlement.field === "vehicleId" ? fields.driverVehicle : fields.driverDeliveryVehicle;
      const assigned = readField(driver, field);
      if (!isFleetEngineId(assigned)) throw deny("no-vehicle-assigned", resourceId);
      if (resourceId !== undefined && resourceId !== assigned) {
        throw deny("vehicle-mismatch", resourceId);
      }
      return { type, resourceId: assigned };
    }
    case "trip-consumer": {
      const tripId = required(resourceId);
      const trip = factsOf(facts, "trip");
      if (trip === undefined) throw deny("unknown-trip", tripId);
      if (!listsCaller(readField(trip, fields.tripConsumers), caller.uid)) {
        throw deny("not-trip-consumer", tripId);
      }
      const status = readField(trip, fields.tripStatus);
      if (status !== undefined && !(typeof status === "string" && LIVE_TRIP_STATUSES.has(status))) {
        if (typeof status === "string" && ENDED_TRIP_STATUSES.has(status)) {
          throw deny("trip-ended", tripId, { status });
        }
        throw deny("trip-status-unreadable", tripId, { status: describeValue(status) });
      }
      return { type, resourceId: tripId };
    }
    case "shipment-consumer": {
      const trackingId = required(resourceId);
      const shipment = factsOf(facts, "shipment");
      if (shipment === undefined) throw deny("unknown-shipment", trackingId);
      if (!listsCaller(readField(shipment, fields.shipmentConsumers), caller.uid)) {
        throw deny("not-shipment-consumer", trackingId);
      }
      return { type, resourceId: trackingId };
    }
    case "operator-claim": {
      if (caller.claims[OPERATOR_CLAIM] !== true) throw deny("missing-operator-claim");
      return { type, resourceId: undefined };
    }
  }
}

/** The stored value for the log line, short: operators need to see what the backend wrote. */
function describeValue(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : `(${typeOf(value)})`;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function factsOf(facts: Facts, kind: Facts["kind"]): StoredDocument | undefined {
  // lookUpFacts reads by the same table; a mismatch is a bug, never a token.
  if (facts.kind !== kind || facts.kind === "none") {
    throw new TokenServiceError(ErrorCode.Internal, `facts of kind ${facts.kind}, not ${kind}`);
  }
  return facts.document;
}

function required(resourceId: string | undefined): string {
  // parseTokenRequest guarantees this; the check keeps entitle safe on its own.
  if (resourceId === undefined)
    throw new TokenServiceError(ErrorCode.Internal, "missing resource ID");
  return resourceId;
}
