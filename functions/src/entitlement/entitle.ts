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

/**
 * What the caller may have: one type, and for non-operator types the resources its token names:
 * one vehicle, trip, delivery vehicle, tracking ID or task, or a trusted driver's delivery
 * vehicle and one task of it.
 */
export interface Entitlement {
  readonly type: TokenType;
  /**
   * The vehicle, trip, delivery vehicle or tracking ID; undefined for the operator types and for
   * a consumer who follows a task.
   */
  readonly resourceId: string | undefined;
  /** The task the token names, if the request named one (and it passed). */
  readonly taskId?: string;
}

/**
 * The stored documents a decision needs, and no more: none for the operator types, one for the
 * others, two (read side by side) for a trusted driver who names a task.
 */
export type Facts =
  | { readonly kind: "driver"; readonly document: StoredDocument | undefined }
  | { readonly kind: "trip"; readonly document: StoredDocument | undefined }
  | { readonly kind: "shipment"; readonly document: StoredDocument | undefined }
  | { readonly kind: "task"; readonly document: StoredDocument | undefined }
  | {
      readonly kind: "driver-and-task";
      readonly driver: StoredDocument | undefined;
      readonly task: StoredDocument | undefined;
    }
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
  | "unknown-task"
  | "task-not-on-vehicle"
  | "not-task-consumer"
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
 * Reads the documents the decision needs, by ID: the caller's driver record, the trip, the
 * shipment or the task; for a trusted driver who names a task, the driver record and the task
 * side by side. Independent of the session check, so the two can run side by side too.
 */
export async function lookUpFacts(
  uid: string,
  request: TokenRequest,
  assignments: AssignmentRepository,
): Promise<Facts> {
  const entitlement = TOKEN_TYPE_SPECS[request.type].entitlement;
  const taskId = taskOf(request);
  switch (entitlement.kind) {
    case "assigned-vehicle": {
      if (taskId === undefined) {
        return { kind: "driver", document: await assignments.getDriver(uid) };
      }
      const [driver, task] = await Promise.all([
        assignments.getDriver(uid),
        assignments.getTask(taskId),
      ]);
      return { kind: "driver-and-task", driver, task };
    }
    case "trip-consumer":
      return { kind: "trip", document: await assignments.getTrip(required(request.resourceId)) };
    case "shipment-consumer":
      if (taskId !== undefined) {
        return { kind: "task", document: await assignments.getTask(taskId) };
      }
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
  const taskId = taskOf(request);
  switch (entitlement.kind) {
    case "assigned-vehicle": {
      const driver = taskId === undefined ? factsOf(facts, "driver") : driverAndTask(facts).driver;
      if (driver === undefined) throw deny("no-driver-record", resourceId, withTask(taskId));
      // Only an explicit `true` or an absent flag counts as active: fail closed on anything else,
      // a flag whose parent is not a map included (`employment: false` for employment.active).
      const active = readField(driver, fields.driverActive);
      if (active.kind === "unreadable") {
        throw deny("driver-inactive", resourceId, {
          ...withTask(taskId),
          ...unreadable(fields.driverActive, active),
        });
      }
      if (active.kind === "present" && active.value !== true) {
        throw deny("driver-inactive", resourceId, withTask(taskId));
      }
      const field =
        entitlement.field === "vehicleId" ? fields.driverVehicle : fields.driverDeliveryVehicle;
      const assigned = readField(driver, field);
      if (assigned.kind !== "present" || !isFleetEngineId(assigned.value)) {
        throw deny("no-vehicle-assigned", resourceId, {
          ...withTask(taskId),
          ...(assigned.kind === "unreadable" ? unreadable(field, assigned) : {}),
        });
      }
      if (resourceId !== undefined && resourceId !== assigned.value) {
        throw deny("vehicle-mismatch", resourceId, withTask(taskId));
      }
      if (taskId === undefined) return { type, resourceId: assigned.value };
      // The task must be one of this vehicle's: its vehicle field holds exactly the driver's
      // vehicle ID. Absent, unreadable or anything else is someone else's task.
      const task = driverAndTask(facts).task;
      if (task === undefined) throw deny("unknown-task", resourceId, { taskId });
      const taskVehicle = readField(task, fields.taskVehicle);
      if (taskVehicle.kind !== "present" || taskVehicle.value !== assigned.value) {
        throw deny("task-not-on-vehicle", resourceId, {
          taskId,
          ...vehicleShape(taskVehicle, fields.taskVehicle),
        });
      }
      return { type, resourceId: assigned.value, taskId };
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
      if (taskId !== undefined) {
        const task = factsOf(facts, "task");
        if (task === undefined) throw deny("unknown-task", undefined, { taskId });
        const consumers = readField(task, fields.taskConsumers);
        if (!listsCaller(consumers, caller.uid)) {
          throw deny("not-task-consumer", undefined, {
            taskId,
            ...consumersShape(consumers, fields.taskConsumers),
          });
        }
        return { type, resourceId: undefined, taskId };
      }
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

function factsOf(
  facts: Facts,
  kind: "driver" | "trip" | "shipment" | "task",
): StoredDocument | undefined {
  // lookUpFacts reads by the same table; a mismatch is a bug, never a token.
  if (facts.kind === "none" || facts.kind === "driver-and-task" || facts.kind !== kind) {
    throw new TokenServiceError(ErrorCode.Internal, `facts of kind ${facts.kind}, not ${kind}`);
  }
  return facts.document;
}

function driverAndTask(facts: Facts): Extract<Facts, { kind: "driver-and-task" }> {
  if (facts.kind !== "driver-and-task") {
    throw new TokenServiceError(
      ErrorCode.Internal,
      `facts of kind ${facts.kind}, not driver-and-task`,
    );
  }
  return facts;
}

/** The task a denial concerns, for its log line. */
function withTask(taskId: string | undefined): Record<string, string> {
  return taskId === undefined ? {} : { taskId };
}

/** Why a task's vehicle field names no vehicle, for the log, when its shape is wrong. */
function vehicleShape(read: FieldRead, path: FieldPath): Record<string, string> {
  if (read.kind === "unreadable") return unreadable(path, read);
  if (read.kind === "absent") return { field: formatFieldPath(path), problem: "absent" };
  return typeof read.value === "string"
    ? {}
    : { field: formatFieldPath(path), problem: `a ${kindOf(read.value)}, not a vehicle ID` };
}

/**
 * The request's task, for a type that takes one. parseTokenRequest guarantees the shape; the
 * check keeps lookUpFacts and entitle safe on their own.
 */
function taskOf(request: TokenRequest): string | undefined {
  const { task } = TOKEN_TYPE_SPECS[request.type];
  if (request.taskId === undefined) return undefined;
  if (task === undefined || (task === "instead" && request.resourceId !== undefined)) {
    throw new TokenServiceError(ErrorCode.Internal, `a ${request.type} request with a task`);
  }
  return request.taskId;
}

function required(resourceId: string | undefined): string {
  // parseTokenRequest guarantees this; the check keeps entitle safe on its own.
  if (resourceId === undefined)
    throw new TokenServiceError(ErrorCode.Internal, "missing resource ID");
  return resourceId;
}
