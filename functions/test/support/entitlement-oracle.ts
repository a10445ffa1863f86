/**
 * An independent statement of the entitlement rules, for property tests. Written from the
 * issue's table, not from src/, so that a bug in one is not silently shared by the other.
 */

export type Doc = Record<string, unknown>;

export interface Store {
  drivers: Map<string, Doc>;
  trips: Map<string, Doc>;
  shipments: Map<string, Doc>;
}

export const OPERATOR_TYPES = new Set(["fleetReader", "deliveryFleetReader"]);

/** The claim keys each type's token carries, and nothing else. */
export const CLAIM_KEYS: Record<string, string[]> = {
  driver: ["vehicleid"],
  consumer: ["tripid"],
  deliveryDriver: ["deliveryvehicleid"],
  deliveryConsumer: ["trackingid"],
  fleetReader: ["tripid", "vehicleid"],
  deliveryFleetReader: ["deliveryvehicleid", "taskid", "trackingid"],
};

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

/** One uid string or an array of uids (issue 9). */
function lists(doc: Doc | undefined, uid: string): boolean {
  const consumers = doc?.consumerUids;
  if (typeof consumers === "string") return consumers === uid;
  return Array.isArray(consumers) && consumers.includes(uid);
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
  if (status === undefined) return false;
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
): string | undefined {
  const type = request.type;
  const driver = store.drivers.get(caller.uid);
  const activeDriver =
    driver !== undefined && (driver.active === undefined || driver.active === true);
  switch (type) {
    case "driver":
    case "deliveryDriver": {
      const field = type === "driver" ? "vehicleId" : "deliveryVehicleId";
      const claim = type === "driver" ? "vehicleid" : "deliveryvehicleid";
      if (!activeDriver) return "no active driver document";
      if (!isValidId(driver[field]) || driver[field] !== authorization[claim])
        return "not the assigned vehicle";
      if (request[field] !== undefined && request[field] !== driver[field])
        return "asked for another vehicle";
      return undefined;
    }
    case "consumer": {
      const trip = store.trips.get(authorization.tripid ?? "");
      if (request.tripId !== authorization.tripid) return "token for another trip than asked";
      if (!lists(trip, caller.uid)) return "caller is not a consumer of the trip";
      if (tripOver(trip?.status)) return "trip is over";
      return undefined;
    }
    case "deliveryConsumer": {
      if (request.trackingId !== authorization.trackingid)
        return "token for another shipment than asked";
      if (!lists(store.shipments.get(authorization.trackingid ?? ""), caller.uid))
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
