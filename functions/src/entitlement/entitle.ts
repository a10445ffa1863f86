import { DEFAULT_FIELD_PATHS, type FieldPaths } from "../config/data-model.js";
import { ErrorCode, TokenServiceError } from "../errors.js";
import { isFleetEngineId, type TokenRequest } from "../request.js";
import { OPERATOR_CLAIM, TOKEN_TYPE_SPECS, type TokenType } from "../token-types.js";
import type { AssignmentRepository, StoredDocument } from "./assignments.js";
import {
  formatFieldPath,
  kindOf,
  readField,
  type FieldPath,
  type FieldRead,
} from "./field-path.js";

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

/**
 * A consumers field holds an array of uids or one uid; anything else lists nobody. An array that
 * holds anything but strings is not a list of uids: it lists nobody, even if the caller is in it.
 */
function listsCaller(consumers: FieldRead, uid: string): boolean {
  if (consumers.kind !== "present") return false;
  const { value } = consumers;
  if (typeof value === "string") return value === uid;
  return (
    Array.isArray(value) && value.every((entry) => typeof entry === "string") && value.includes(uid)
  );
}

/** Why a consumers field lists nobody, for the log, when its shape is wrong. */
function consumersShape(consumers: FieldRead, path: FieldPath): Record<string, string> {
  if (consumers.kind === "unreadable") return unreadable(path, consumers);
  if (consumers.kind === "absent") return { field: formatFieldPath(path), problem: "absent" };
  const { value } = consumers;
  if (typeof value === "string") return {};
  if (Array.isArray(value)) {
    const odd: unknown = (value as unknown[]).find((entry) => typeof entry !== "string");
    return value.every((entry) => typeof entry === "string")
      ? {}
      : { field: formatFieldPath(path), problem: `an array holding a ${kindOf(odd)}` };
  }
  return { field: formatFieldPath(path), problem: `a ${kindOf(value)}, not uids` };
}

/** The log details of a field path that runs through something that is not a map. */
function unreadable(
  path: FieldPath,
  read: Extract<FieldRead, { kind: "unreadable" }>,
): Record<string, string> {
  return {
    field: formatFieldPath(path),
    problem: `unreadable: ${read.parent} holds a ${read.holds}, not a map`,
  };
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
      // Only an explicit `true` or an absent flag counts as active: fail closed on anything else,
      // a flag whose parent is not a map included (`employment: false` for employment.active).
      const active = readField(driver, fields.driverActive);
      if (active.kind === "unreadable") {
        throw deny("driver-inactive", resourceId, unreadable(fields.driverActive, active));
      }
      if (active.kind === "present" && active.value !== true) {
        throw deny("driver-inactive", resourceId);
      }
      const field =
        entitlement.field === "vehicleId" ? fields.driverVehicle : fields.driverDeliveryVehicle;
      const assigned = readField(driver, field);
      if (assigned.kind !== "present" || !isFleetEngineId(assigned.value)) {
        throw deny(
          "no-vehicle-assigned",
          resourceId,
          assigned.kind === "unreadable" ? unreadable(field, assigned) : {},
        );
      }
      if (resourceId !== undefined && resourceId !== assigned.value) {
        throw deny("vehicle-mismatch", resourceId);
      }
      return { type, resourceId: assigned.value };
    }
    case "trip-consumer": {
      const tripId = required(resourceId);
      const trip = factsOf(facts, "trip");
      if (trip === undefined) throw deny("unknown-trip", tripId);
      const consumers = readField(trip, fields.tripConsumers);
      if (!listsCaller(consumers, caller.uid)) {
        throw deny("not-trip-consumer", tripId, consumersShape(consumers, fields.tripConsumers));
      }
      // Absent is the one non-live answer that serves (a backend that does not track status);
      // a status whose parent is not a map is not absent: the trip may be over.
      const status = readField(trip, fields.tripStatus);
      if (status.kind === "unreadable") {
        throw deny("trip-status-unreadable", tripId, unreadable(fields.tripStatus, status));
      }
      if (status.kind === "present") {
        const { value } = status;
        if (!(typeof value === "string" && LIVE_TRIP_STATUSES.has(value))) {
          if (typeof value === "string" && ENDED_TRIP_STATUSES.has(value)) {
            throw deny("trip-ended", tripId, { status: value });
          }
          throw deny("trip-status-unreadable", tripId, { status: describeValue(value) });
        }
      }
      return { type, resourceId: tripId };
    }
    case "shipment-consumer": {
      const trackingId = required(resourceId);
      const shipment = factsOf(facts, "shipment");
      if (shipment === undefined) throw deny("unknown-shipment", trackingId);
      const consumers = readField(shipment, fields.shipmentConsumers);
      if (!listsCaller(consumers, caller.uid)) {
        throw deny(
          "not-shipment-consumer",
          trackingId,
          consumersShape(consumers, fields.shipmentConsumers),
        );
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
  const text = typeof value === "string" ? JSON.stringify(value) : `(${kindOf(value)})`;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
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
