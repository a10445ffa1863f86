// @ts-check
/**
 * The demo world `npm start` seeds: four accounts with fixed uids and passwords, and what each
 * is assigned to. Also used by the demo-token command and the tests of both.
 */

export const DEMO_PASSWORD = "fleet-engine-demo";

/**
 * @typedef {{ uid: string, email: string, password: string, role: string,
 *   claims?: Record<string, unknown>, request: Record<string, string> }} DemoUser
 */

/** @type {readonly DemoUser[]} */
export const DEMO_USERS = Object.freeze(
  /** @type {DemoUser[]} */ ([
    {
      uid: "demo-driver",
      email: "driver@demo.test",
      password: DEMO_PASSWORD,
      role: "driver (vehicle-1)",
      request: { type: "driver" },
    },
    {
      uid: "demo-delivery-driver",
      email: "delivery-driver@demo.test",
      password: DEMO_PASSWORD,
      role: "delivery driver (delivery-vehicle-1, task-1)",
      request: { type: "deliveryDriver" },
    },
    {
      uid: "demo-rider",
      email: "rider@demo.test",
      password: DEMO_PASSWORD,
      role: "rider (trip-1) and recipient (shipment-1, task-1)",
      request: { type: "consumer", tripId: "trip-1" },
    },
    {
      uid: "demo-operator",
      email: "operator@demo.test",
      password: DEMO_PASSWORD,
      role: "operator (custom claim fleetReader: true)",
      claims: { fleetReader: true },
      request: { type: "fleetReader" },
    },
  ]),
);

/**
 * What each demo account is assigned to, by meaning; demoDocuments() writes it in the app's data
 * model. trip-2 and shipment-2 belong to someone else, for the refusal demo; trip-3 is over.
 * task-1 is on delivery-vehicle-1 and followed by the rider; task-2 is another vehicle's, followed
 * by someone else.
 */
export const DEMO_ASSIGNMENTS = Object.freeze({
  drivers: {
    "demo-driver": { driverVehicle: "vehicle-1", driverActive: true },
    "demo-delivery-driver": { driverDeliveryVehicle: "delivery-vehicle-1", driverActive: true },
  },
  trips: {
    "trip-1": { tripConsumers: ["demo-rider"], tripStatus: "ENROUTE_TO_PICKUP" },
    "trip-2": { tripConsumers: ["someone-else"], tripStatus: "ENROUTE_TO_DROPOFF" },
    "trip-3": { tripConsumers: ["demo-rider"], tripStatus: "COMPLETE" },
  },
  shipments: {
    "shipment-1": { shipmentConsumers: ["demo-rider"] },
    "shipment-2": { shipmentConsumers: ["someone-else"] },
  },
  tasks: {
    "task-1": { taskVehicle: "delivery-vehicle-1", taskConsumers: ["demo-rider"] },
    "task-2": { taskVehicle: "delivery-vehicle-2", taskConsumers: ["someone-else"] },
  },
});

/**
 * How a consumers field is stored: a plural name (consumerUids, riders) holds an array of uids,
 * a singular one (riderUid, ownerId) one uid string. The function accepts both; seeding the
 * shape the name promises keeps the demo data looking like the app's own.
 * @param {string} fieldPath
 */
export function consumersAreArray(fieldPath) {
  const last = fieldPath.split(".").at(-1) ?? "";
  return /s$/.test(last);
}

/**
 * Sets `value` at a dotted field path, nested paths as nested maps.
 * @param {Record<string, unknown>} data @param {string} fieldPath @param {unknown} value
 */
export function setField(data, fieldPath, value) {
  const segments = fieldPath.split(".");
  const last = /** @type {string} */ (segments.pop());
  let map = data;
  for (const segment of segments) {
    const next = map[segment];
    map = /** @type {Record<string, unknown>} */ (
      map[segment] = typeof next === "object" && next !== null ? next : {}
    );
  }
  map[last] = value;
}

/**
 * The demo documents by path ("trips/trip-1"), at the configured collection names and field
 * paths.
 * @param {import("./params.mjs").DataModel} model
 * @returns {Record<string, Record<string, unknown>>}
 */
export function demoDocuments(model) {
  /** @type {Record<string, Record<string, unknown>>} */
  const documents = {};
  for (const [collection, byId] of Object.entries(DEMO_ASSIGNMENTS)) {
    const name = model.collections[/** @type {keyof typeof model.collections} */ (collection)];
    for (const [id, facts] of Object.entries(byId)) {
      /** @type {Record<string, unknown>} */
      const data = {};
      for (const [fact, value] of Object.entries(facts)) {
        const fieldPath = model.fields[/** @type {keyof typeof model.fields} */ (fact)];
        const stored =
          Array.isArray(value) && !consumersAreArray(fieldPath) && value.length === 1
            ? value[0]
            : value;
        setField(data, fieldPath, stored);
      }
      documents[`${name}/${id}`] = data;
    }
  }
  return documents;
}
