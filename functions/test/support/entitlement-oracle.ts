/**
 * An independent statement of the entitlement rules, for property tests. Written from the
 * issue's table, not from src/, so that a bug in one is not silently shared by the other.
 */

export type Doc = Record<string, unknown>;

export interface Store {
  drivers: Map<string, Doc>;
  trips: Map<string, Doc>;
  shipments: Map<string, Doc>;
  tasks: Map<string, Doc>;
}

export const OPERATOR_TYPES = new Set(["fleetReader", "deliveryFleetReader"]);

/** The claim keys each type's token carries when the request names no task, and nothing else. */
export const CLAIM_KEYS: Record<string, string[]> = {
  driver: ["vehicleid"],
  consumer: ["tripid"],
  deliveryDriver: ["deliveryvehicleid"],
  trustedDeliveryDriver: ["deliveryvehicleid"],
  deliveryConsumer: ["trackingid"],
  fleetReader: ["tripid", "vehicleid"],
  deliveryFleetReader: ["deliveryvehicleid", "taskid", "trackingid"],
};

/**
 * The claim keys, sorted, of the token a request gets (issue 19): a trusted driver who names a
 * task gets the task beside the vehicle; a delivery consumer who names a task gets the task
 * instead of a tracking ID.
 */
export function claimKeys(request: Record<string, unknown>): string[] | undefined {
  const type = String(request.type);
  if (typeof request.taskId === "string") {
    if (type === "trustedDeliveryDriver") return ["deliveryvehicleid", "taskid"];
    if (type === "deliveryConsumer") return ["taskid"];
  }
  return CLAIM_KEYS[type];
}

/** Fleet Engine's ID rules as the issue states them (plus NFC and well-formed Unicode). */
export function isValidId(value: unknown): value is string {
  if (typeof value !== "string" || value === "") return false;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  if (Array.from(value).length > 64) return false;
  if (/[/:?,#*]/.test(value)) return false;
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return false;
  return value.normalize("NFC") === value;
}

/**
 * Where each fact lives in its document, as segments (issue 12: the *_FIELD params). The fuzz
 * runs the default names and a nested layout whose parents may hold anything.
 */
export interface Layout {
  driverVehicle: string[];
  driverDeliveryVehicle: string[];
  driverActive: string[];
  tripConsumers: string[];
  tripStatus: string[];
  shipmentConsumers: string[];
  taskVehicle: string[];
  taskConsumers: string[];
}

export const DEFAULT_LAYOUT: Layout = {
  driverVehicle: ["vehicleId"],
  driverDeliveryVehicle: ["deliveryVehicleId"],
  driverActive: ["active"],
  tripConsumers: ["consumerUids"],
  tripStatus: ["status"],
  shipmentConsumers: ["consumerUids"],
  taskVehicle: ["deliveryVehicleId"],
  taskConsumers: ["consumerUids"],
};

export const NESTED_LAYOUT: Layout = {
  driverVehicle: ["fleet", "vehicleId"],
  driverDeliveryVehicle: ["fleet", "delivery", "vehicleId"],
  driverActive: ["employment", "active"],
  tripConsumers: ["riders", "uids"],
  tripStatus: ["fe", "status"],
  shipmentConsumers: ["recipients", "uids"],
  taskVehicle: ["stop", "vehicle", "id"],
  taskConsumers: ["stop", "watchers"],
};

/**
 * What a path finds (issue 17): MISSING when a key on the way does not exist, BROKEN when
 * something on the way exists but is not a plain map, else the value.
 */
const MISSING = Symbol("missing");
const BROKEN = Symbol("broken");

function at(doc: Doc | undefined, path: readonly string[]): unknown {
  let here: unknown = doc;
  for (const key of path) {
    if (here === undefined) return MISSING;
    const plain =
      typeof here === "object" &&
      here !== null &&
      !Array.isArray(here) &&
      [Object.prototype, null].includes(Object.getPrototypeOf(here) as object | null);
    if (!plain) return BROKEN;
    if (!Object.prototype.hasOwnProperty.call(here, key)) return MISSING;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

/** One uid string or an array of uids and nothing else (issues 9 and 17). */
function lists(doc: Doc | undefined, path: readonly string[], uid: string): boolean {
  const consumers = at(doc, path);
  if (typeof consumers === "string") return consumers === uid;
  return (
    Array.isArray(consumers) &&
    consumers.every((entry) => typeof entry === "string") &&
    consumers.includes(uid)
  );
}

/** Issue 10: only an absent status or one of Fleet Engine's six live states, exactly spelled. */
const LIVE = [
  "NEW",
  "ENROUTE_TO_PICKUP",
  "ARRIVED_AT_PICKUP",
  "ARRIVED_AT_INTERMEDIATE_DESTINATION",
  "ENROUTE_TO_INTERMEDIATE_DESTINATION",
  "ENROUTE_TO_DROPOFF",
];

function tripOver(status: unknown): boolean {
  if (status === MISSING) return false;
  return !(typeof status === "string" && LIVE.includes(status));
}

/**
 * Given a token that WAS issued, is that justified by the stored data and the caller? Returns
 * the reason it is not, or undefined when it is.
 */
export function unjustifiedIssue(
  store: Store,
  caller: { uid: string; claims: Record<string, unknown> },
  request: Record<string, unknown>,
  authorization: Record<string, string>,
  layout: Layout = DEFAULT_LAYOUT,
): string | undefined {
  const type = request.type;
  const driver = store.drivers.get(caller.uid);
  const active = at(driver, layout.driverActive);
  const activeDriver = driver !== undefined && (active === MISSING || active === true);
  switch (type) {
    case "driver":
    case "deliveryDriver":
    case "trustedDeliveryDriver": {
      const field = type === "driver" ? "vehicleId" : "deliveryVehicleId";
      const claim = type === "driver" ? "vehicleid" : "deliveryvehicleid";
      if (!activeDriver) return "no active driver document";
      const assigned = at(
        driver,
        type === "driver" ? layout.driverVehicle : layout.driverDeliveryVehicle,
      );
      if (!isValidId(assigned) || assigned !== authorization[claim])
        return "not the assigned vehicle";
      if (request[field] !== undefined && request[field] !== assigned)
        return "asked for another vehicle";
      // Issue 19: a trusted driver's task must be on their vehicle, exactly; no other type's
      // driver token ever names a task.
      if (type !== "trustedDeliveryDriver" || request.taskId === undefined) {
        return authorization.taskid === undefined ? undefined : "a task nobody asked for";
      }
      if (authorization.taskid !== request.taskId) return "token for another task than asked";
      if (at(store.tasks.get(authorization.taskid), layout.taskVehicle) !== assigned)
        return "the task is not on the driver's vehicle";
      return undefined;
    }
    case "consumer": {
      const trip = store.trips.get(authorization.tripid ?? "");
      if (request.tripId !== authorization.tripid) return "token for another trip than asked";
      if (!lists(trip, layout.tripConsumers, caller.uid))
        return "caller is not a consumer of the trip";
      if (tripOver(at(trip, layout.tripStatus))) return "trip is over";
      return undefined;
    }
    case "deliveryConsumer": {
      // Issue 19: one thing to follow, a task or a tracking ID.
      if (request.taskId !== undefined) {
        if (request.trackingId !== undefined) return "asked for a task and a tracking ID";
        if (authorization.trackingid !== undefined) return "a tracking ID nobody asked for";
        if (request.taskId !== authorization.taskid) return "token for another task than asked";
        if (!lists(store.tasks.get(authorization.taskid ?? ""), layout.taskConsumers, caller.uid))
          return "caller does not follow the task";
        return undefined;
      }
      if (authorization.taskid !== undefined) return "a task nobody asked for";
      if (request.trackingId !== authorization.trackingid)
        return "token for another shipment than asked";
      const shipment = store.shipments.get(authorization.trackingid ?? "");
      if (!lists(shipment, layout.shipmentConsumers, caller.uid))
        return "caller is not a recipient";
      return undefined;
    }
    case "fleetReader":
    case "deliveryFleetReader":
      return caller.claims.fleetReader === true ? undefined : "no operator claim";
    default:
      return `issued for unknown type ${String(type)}`;
  }
}
