import { ErrorCode, TokenServiceError } from "../errors.js";
import { isFleetEngineId, type TokenRequest } from "../request.js";
import { OPERATOR_CLAIM, TOKEN_TYPE_SPECS, type TokenType } from "../token-types.js";
import type { AssignmentRepository, StoredDocument } from "./assignments.js";

/** The verified Firebase Auth identity of the caller. */
export interface Caller {
  readonly uid: string;
  /** Claims of the caller's ID token, custom claims included. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** What the caller may have: one type, and for non-operator types exactly one resource. */
export interface Entitlement {
  readonly type: TokenType;
  /** The vehicle, trip, delivery vehicle or tracking ID; undefined for the operator types. */
  readonly resourceId: string | undefined;
}

/** Why a caller was refused; logged, never sent to the caller (who always sees not-entitled). */
export type DenialReason =
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

/** Trip states after which a rider has nothing left to watch. */
const ENDED_TRIP_STATES = new Set(["COMPLETE", "CANCELED", "CANCELLED"]);

function deny(reason: DenialReason, resourceId?: string): TokenServiceError {
  return new TokenServiceError(ErrorCode.NotEntitled, `not entitled: ${reason}`, {
    details: resourceId === undefined ? { reason } : { reason, resourceId },
  });
}

function listsCaller(document: StoredDocument, uid: string): boolean {
  const uids = document.consumerUids;
  return Array.isArray(uids) && uids.some((entry) => entry === uid);
}

/**
 * Decides whether `caller` may have the token `request` asks for, reading at most one document.
 * Stored data is untrusted: anything but exactly the expected shape is a denial, never a token.
 */
export async function entitle(
  caller: Caller,
  request: TokenRequest,
  assignments: AssignmentRepository,
): Promise<Entitlement> {
  const { type, resourceId } = request;
  const entitlement = TOKEN_TYPE_SPECS[type].entitlement;
  switch (entitlement.kind) {
    case "assigned-vehicle": {
      const driver = await assignments.getDriver(caller.uid);
      if (driver === undefined) throw deny("no-driver-record", resourceId);
      // Only an explicit `true` or an absent flag counts as active: fail closed on anything else.
      if (driver.active !== undefined && driver.active !== true) {
        throw deny("driver-inactive", resourceId);
      }
      const assigned = driver[entitlement.field];
      if (!isFleetEngineId(assigned)) throw deny("no-vehicle-assigned", resourceId);
      if (resourceId !== undefined && resourceId !== assigned) {
        throw deny("vehicle-mismatch", resourceId);
      }
      return { type, resourceId: assigned };
    }
    case "trip-consumer": {
      const tripId = required(resourceId);
      const trip = await assignments.getTrip(tripId);
      if (trip === undefined) throw deny("unknown-trip", tripId);
      if (!listsCaller(trip, caller.uid)) throw deny("not-trip-consumer", tripId);
      const status = trip.status;
      if (status !== undefined && status !== null) {
        if (typeof status !== "string") throw deny("trip-status-unreadable", tripId);
        if (ENDED_TRIP_STATES.has(status.trim().toUpperCase())) throw deny("trip-ended", tripId);
      }
      return { type, resourceId: tripId };
    }
    case "shipment-consumer": {
      const trackingId = required(resourceId);
      const shipment = await assignments.getShipment(trackingId);
      if (shipment === undefined) throw deny("unknown-shipment", trackingId);
      if (!listsCaller(shipment, caller.uid)) throw deny("not-shipment-consumer", trackingId);
      return { type, resourceId: trackingId };
    }
    case "operator-claim": {
      if (caller.claims[OPERATOR_CLAIM] !== true) throw deny("missing-operator-claim");
      return { type, resourceId: undefined };
    }
  }
}

function required(resourceId: string | undefined): string {
  // parseTokenRequest guarantees this; the check keeps entitle safe on its own.
  if (resourceId === undefined)
    throw new TokenServiceError(ErrorCode.Internal, "missing resource ID");
  return resourceId;
}
