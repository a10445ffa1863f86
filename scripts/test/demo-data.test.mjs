// @ts-check
import { describe, expect, it } from "vitest";
import { consumersAreArray, demoDocuments } from "../lib/demo-data.mjs";
import { DEFAULT_DATA_MODEL, dataModel } from "../lib/params.mjs";
import { MAPPED_PARAMS } from "../lib/test-stack.mjs";

describe("the demo documents", () => {
  it("have today's shape with the default data model", () => {
    const documents = demoDocuments(DEFAULT_DATA_MODEL);
    expect(documents["drivers/demo-driver"]).toEqual({ vehicleId: "vehicle-1", active: true });
    expect(documents["drivers/demo-delivery-driver"]).toEqual({
      deliveryVehicleId: "delivery-vehicle-1",
      active: true,
    });
    expect(documents["trips/trip-1"]).toEqual({
      consumerUids: ["demo-rider"],
      status: "ENROUTE_TO_PICKUP",
    });
    expect(documents["shipments/shipment-1"]).toEqual({ consumerUids: ["demo-rider"] });
    // A task of the delivery driver's vehicle that the rider follows, and another vehicle's.
    expect(documents["tasks/task-1"]).toEqual({
      deliveryVehicleId: "delivery-vehicle-1",
      consumerUids: ["demo-rider"],
    });
    expect(documents["tasks/task-2"]).toEqual({
      deliveryVehicleId: "delivery-vehicle-2",
      consumerUids: ["someone-else"],
    });
    expect(Object.keys(documents)).toHaveLength(9);
  });

  it("follow a non-default mapping: renamed collections, nested maps, one uid string", () => {
    const documents = demoDocuments(
      dataModel({
        TRIPS_COLLECTION: "rides",
        TRIP_CONSUMERS_FIELD: "riderUid",
        DRIVERS_COLLECTION: "users",
        DRIVER_VEHICLE_FIELD: "fleet.vehicleId",
        DRIVER_ACTIVE_FIELD: "fleet.enabled",
      }),
    );
    expect(documents["users/demo-driver"]).toEqual({
      fleet: { vehicleId: "vehicle-1", enabled: true },
    });
    expect(documents["rides/trip-1"]).toEqual({
      riderUid: "demo-rider",
      status: "ENROUTE_TO_PICKUP",
    });
    expect(documents["rides/trip-2"]).toMatchObject({ riderUid: "someone-else" });
    expect(documents["shipments/shipment-1"]).toEqual({ consumerUids: ["demo-rider"] });
    expect(documents["trips/trip-1"]).toBeUndefined();
  });

  it("store a plural consumers field as an array, a singular one as a uid", () => {
    expect(consumersAreArray("consumerUids")).toBe(true);
    expect(consumersAreArray("recipients.uids")).toBe(true);
    expect(consumersAreArray("riderUid")).toBe(false);
    expect(consumersAreArray("booking.ownerId")).toBe(false);
    const documents = demoDocuments(dataModel(MAPPED_PARAMS));
    expect(documents["parcels/shipment-1"]).toEqual({ recipients: { uids: ["demo-rider"] } });
    expect(documents["stops/task-1"]).toEqual({
      route: { deliveryVehicleId: "delivery-vehicle-1" },
      recipientUid: "demo-rider",
    });
  });
});
