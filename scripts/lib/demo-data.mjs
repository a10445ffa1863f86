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
      role: "delivery driver (delivery-vehicle-1)",
      request: { type: "deliveryDriver" },
    },
    {
      uid: "demo-rider",
      email: "rider@demo.test",
      password: DEMO_PASSWORD,
      role: "rider (trip-1) and recipient (shipment-1)",
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

/** Documents by path; trip-2 and shipment-2 belong to someone else, for the refusal demo. */
export const DEMO_DOCUMENTS = Object.freeze({
  "drivers/demo-driver": { vehicleId: "vehicle-1", active: true },
  "drivers/demo-delivery-driver": { deliveryVehicleId: "delivery-vehicle-1", active: true },
  "trips/trip-1": {
    consumerUids: ["demo-rider"],
    status: "ENROUTE_TO_PICKUP",
    vehicleId: "vehicle-1",
  },
  "trips/trip-2": { consumerUids: ["someone-else"], status: "ENROUTE_TO_DROPOFF" },
  "trips/trip-3": { consumerUids: ["demo-rider"], status: "COMPLETE" },
  "shipments/shipment-1": { consumerUids: ["demo-rider"] },
  "shipments/shipment-2": { consumerUids: ["someone-else"] },
});
