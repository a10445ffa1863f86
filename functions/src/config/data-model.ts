import { parseFieldPath, type FieldPath } from "../entitlement/field-path.js";

/**
 * The app's data model as the function sees it: which collections hold the assignment documents
 * and where each fact lives inside them. Both are params (config/params.ts), so the function fits
 * the data model an app already has; the defaults are the README's data model.
 */

/** The collections of assignment documents, one get by ID each. */
export const COLLECTION_PARAMS = {
  drivers: {
    name: "DRIVERS_COLLECTION",
    default: "drivers",
    holds: "driver documents, keyed by Firebase Auth uid",
  },
  trips: {
    name: "TRIPS_COLLECTION",
    default: "trips",
    holds: "trip documents, keyed by Fleet Engine trip ID",
  },
  shipments: {
    name: "SHIPMENTS_COLLECTION",
    default: "shipments",
    holds: "shipment documents, keyed by Fleet Engine tracking ID",
  },
  tasks: {
    name: "TASKS_COLLECTION",
    default: "tasks",
    holds: "task documents, keyed by Fleet Engine task ID",
  },
} as const;

export type CollectionName = keyof typeof COLLECTION_PARAMS;
export const COLLECTION_NAMES = Object.keys(COLLECTION_PARAMS) as CollectionName[];
export type Collections = Readonly<Record<CollectionName, string>>;

/**
 * Where each fact lives inside its document: a Firestore field path (dots for nested fields).
 * The defaults are the field names of the README's data model.
 */
export const FIELD_PARAMS = {
  driverVehicle: {
    name: "DRIVER_VEHICLE_FIELD",
    default: "vehicleId",
    holds: "the driver's vehicle ID (in the drivers collection)",
  },
  driverDeliveryVehicle: {
    name: "DRIVER_DELIVERY_VEHICLE_FIELD",
    default: "deliveryVehicleId",
    holds: "the driver's delivery vehicle ID (in the drivers collection)",
  },
  driverActive: {
    name: "DRIVER_ACTIVE_FIELD",
    default: "active",
    holds: "false cuts the driver off; absent = active (in the drivers collection)",
  },
  tripConsumers: {
    name: "TRIP_CONSUMERS_FIELD",
    default: "consumerUids",
    holds: "who may follow the trip: an array of uids or one uid (in the trips collection)",
  },
  tripStatus: {
    name: "TRIP_STATUS_FIELD",
    default: "status",
    holds: "the Fleet Engine trip status (in the trips collection)",
  },
  shipmentConsumers: {
    name: "SHIPMENT_CONSUMERS_FIELD",
    default: "consumerUids",
    holds: "who may follow the shipment: an array of uids or one uid (in the shipments collection)",
  },
  taskVehicle: {
    name: "TASK_VEHICLE_FIELD",
    default: "deliveryVehicleId",
    holds: "the delivery vehicle ID the task is assigned to (in the tasks collection)",
  },
  taskConsumers: {
    name: "TASK_CONSUMERS_FIELD",
    default: "consumerUids",
    holds: "who may follow the task: an array of uids or one uid (in the tasks collection)",
  },
} as const;

export type FieldName = keyof typeof FIELD_PARAMS;
export const FIELD_NAMES = Object.keys(FIELD_PARAMS) as FieldName[];
export type FieldPaths = Readonly<Record<FieldName, FieldPath>>;

/** The field paths of the default data model. */
export const DEFAULT_FIELD_PATHS: FieldPaths = Object.freeze(
  Object.fromEntries(
    FIELD_NAMES.map((field) => [field, parseFieldPath(FIELD_PARAMS[field].default)]),
  ) as Record<FieldName, FieldPath>,
);

// Firestore collection IDs: no slash, not . or .., not __reserved__, at most 1500 bytes.
const COLLECTION_ID = /^(?!\.\.?$)(?!__.*__$)[^/]{1,1500}$/;

/** Why `raw` is not one Firestore collection ID, or undefined when it is one. */
export function collectionIdProblem(raw: string): string | undefined {
  return COLLECTION_ID.test(raw) ? undefined : "must be a collection ID";
}
