import { describe, expect, it } from "vitest";
import { DEFAULT_FIELD_PATHS, type FieldPaths } from "../../../src/config/index.js";
import {
  LIVE_TRIP_STATUSES,
  entitle,
  lookUpFacts,
  type Caller,
} from "../../../src/entitlement/entitle.js";
import { ErrorCode, TokenServiceError } from "../../../src/errors.js";
import type { TokenRequest } from "../../../src/request.js";
import { failure } from "../../support/failures.js";
import { MemoryAssignments } from "../../support/memory-assignments.js";

const driver: Caller = { uid: "driver-uid", claims: {} };
const rider: Caller = { uid: "rider-uid", claims: {} };
const operator: Caller = { uid: "op-uid", claims: { fleetReader: true } };

function repo(): MemoryAssignments {
  const assignments = new MemoryAssignments();
  assignments.drivers.set("driver-uid", { vehicleId: "v-1", deliveryVehicleId: "dv-1" });
  assignments.trips.set("trip-1", { consumerUids: ["rider-uid"], status: "ENROUTE_TO_PICKUP" });
  assignments.shipments.set("track-1", { consumerUids: ["rider-uid"] });
  return assignments;
}

/** Reads the facts the way the handler does, then decides. */
async function decide(
  caller: Caller,
  request: TokenRequest,
  assignments = repo(),
  fields: FieldPaths = DEFAULT_FIELD_PATHS,
) {
  return entitle(caller, request, await lookUpFacts(caller.uid, request, assignments), fields);
}

async function denial(
  caller: Caller,
  request: TokenRequest,
  assignments = repo(),
  fields: FieldPaths = DEFAULT_FIELD_PATHS,
) {
  try {
    await decide(caller, request, assignments, fields);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenServiceError);
    const e = error as TokenServiceError;
    expect(e.code).toBe(ErrorCode.NotEntitled);
    expect(e.clientCode).toBe("permission-denied");
    return e.details.reason;
  }
  throw new Error("expected a denial");
}

/** All the details of the permission-denied `decide` refuses with (what the log line carries). */
async function denialDetails(
  caller: Caller,
  request: TokenRequest,
  assignments: MemoryAssignments,
  fields: FieldPaths,
): Promise<Record<string, unknown>> {
  const error = await failure(decide(caller, request, assignments, fields));
  expect(error.clientCode).toBe("permission-denied");
  return { ...error.details };
}

describe("entitle", () => {
  it("gives a driver their assigned vehicle, with or without naming it", async () => {
    expect(await decide(driver, { type: "driver" }, repo())).toEqual({
      type: "driver",
      resourceId: "v-1",
    });
    expect(await decide(driver, { type: "driver", resourceId: "v-1" }, repo())).toEqual({
      type: "driver",
      resourceId: "v-1",
    });
  });

  it("gives a delivery driver their delivery vehicle", async () => {
    expect(await decide(driver, { type: "deliveryDriver" }, repo())).toEqual({
      type: "deliveryDriver",
      resourceId: "dv-1",
    });
  });

  it("gives a rider their live trip and a recipient their shipment", async () => {
    expect(await decide(rider, { type: "consumer", resourceId: "trip-1" }, repo())).toEqual({
      type: "consumer",
      resourceId: "trip-1",
    });
    expect(
      await decide(rider, { type: "deliveryConsumer", resourceId: "track-1" }, repo()),
    ).toEqual({ type: "deliveryConsumer", resourceId: "track-1" });
  });

  it("gives operators the wildcard types from the custom claim alone, reading nothing", async () => {
    const assignments = repo();
    expect(await decide(operator, { type: "fleetReader" }, assignments)).toEqual({
      type: "fleetReader",
      resourceId: undefined,
    });
    expect(await decide(operator, { type: "deliveryFleetReader" }, assignments)).toEqual({
      type: "deliveryFleetReader",
      resourceId: undefined,
    });
    expect(assignments.reads).toBe(0);
  });

  it("reads at most one document per decision", async () => {
    const assignments = repo();
    await decide(rider, { type: "consumer", resourceId: "trip-1" }, assignments);
    expect(assignments.reads).toBe(1);
  });

  it.each([
    ["a caller without a driver document", rider, { type: "driver" }, "no-driver-record"],
    ["a different vehicle", driver, { type: "driver", resourceId: "v-2" }, "vehicle-mismatch"],
    [
      "a different delivery vehicle",
      driver,
      { type: "deliveryDriver", resourceId: "dv-2" },
      "vehicle-mismatch",
    ],
    ["an unknown trip", rider, { type: "consumer", resourceId: "nope" }, "unknown-trip"],
    [
      "someone else's trip",
      driver,
      { type: "consumer", resourceId: "trip-1" },
      "not-trip-consumer",
    ],
    [
      "an unknown shipment",
      rider,
      { type: "deliveryConsumer", resourceId: "x" },
      "unknown-shipment",
    ],
    [
      "someone else's shipment",
      driver,
      { type: "deliveryConsumer", resourceId: "track-1" },
      "not-shipment-consumer",
    ],
    ["fleetReader without the claim", rider, { type: "fleetReader" }, "missing-operator-claim"],
    [
      "deliveryFleetReader without the claim",
      driver,
      { type: "deliveryFleetReader" },
      "missing-operator-claim",
    ],
    [
      "a claim that is merely truthy",
      { uid: "u", claims: { fleetReader: "true" } },
      { type: "fleetReader" },
      "missing-operator-claim",
    ],
  ] as const)("denies %s", async (_, caller, request, reason) => {
    expect(await denial(caller, request as TokenRequest)).toBe(reason);
  });

  it.each([
    ["COMPLETE", "trip-ended"],
    ["CANCELED", "trip-ended"],
    ["COMPLETED", "trip-status-unreadable"],
    ["ARCHIVED", "trip-status-unreadable"],
    ["TRIP_STATUS_COMPLETE", "trip-status-unreadable"],
    ["UNKNOWN_TRIP_STATUS", "trip-status-unreadable"],
    ["cancelled", "trip-status-unreadable"],
    ["enroute_to_pickup", "trip-status-unreadable"],
    [" NEW", "trip-status-unreadable"],
    ["NEW ", "trip-status-unreadable"],
    ["", "trip-status-unreadable"],
    [null, "trip-status-unreadable"],
    [42, "trip-status-unreadable"],
    [["NEW"], "trip-status-unreadable"],
    [{ value: "NEW" }, "trip-status-unreadable"],
  ])("denies a trip whose status is %j (an allowlist, exact spelling)", async (status, reason) => {
    const assignments = repo();
    assignments.trips.set("trip-1", { consumerUids: ["rider-uid"], status });
    expect(await denial(rider, { type: "consumer", resourceId: "trip-1" }, assignments)).toBe(
      reason,
    );
  });

  it.each([
    [{ active: false, vehicleId: "v-1" }, "driver-inactive"],
    [{ active: "yes", vehicleId: "v-1" }, "driver-inactive"],
    [{ active: true }, "no-vehicle-assigned"],
    [{ vehicleId: "*" }, "no-vehicle-assigned"],
    [{ vehicleId: ["v-1"] }, "no-vehicle-assigned"],
    [{ vehicleId: "" }, "no-vehicle-assigned"],
    [{ vehicleId: "v".repeat(65) }, "no-vehicle-assigned"],
  ])("denies a driver whose document is %j", async (document, reason) => {
    const assignments = repo();
    assignments.drivers.set("driver-uid", document);
    expect(await denial(driver, { type: "driver" }, assignments)).toBe(reason);
  });

  it.each([...LIVE_TRIP_STATUSES, undefined])(
    "serves a trip whose status is %j (live, or absent)",
    async (status) => {
      const assignments = repo();
      assignments.trips.set(
        "trip-1",
        status === undefined
          ? { consumerUids: ["rider-uid"] }
          : { consumerUids: ["rider-uid"], status },
      );
      expect(await decide(rider, { type: "consumer", resourceId: "trip-1" }, assignments)).toEqual({
        type: "consumer",
        resourceId: "trip-1",
      });
    },
  );

  it("allows exactly the six non-terminal Fleet Engine TripStatus values", () => {
    expect([...LIVE_TRIP_STATUSES].sort()).toEqual([
      "ARRIVED_AT_INTERMEDIATE_DESTINATION",
      "ARRIVED_AT_PICKUP",
      "ENROUTE_TO_DROPOFF",
      "ENROUTE_TO_INTERMEDIATE_DESTINATION",
      "ENROUTE_TO_PICKUP",
      "NEW",
    ]);
  });

  it.each([
    [{ consumerUids: "someone-else" }],
    [{ consumerUids: "" }],
    [{ consumerUids: [["rider-uid"]] }],
    [{ consumerUids: { 0: "rider-uid" } }],
    [{}],
  ])("denies a trip whose consumerUids is malformed: %j", async (document) => {
    const assignments = repo();
    assignments.trips.set("trip-1", document);
    expect(await denial(rider, { type: "consumer", resourceId: "trip-1" }, assignments)).toBe(
      "not-trip-consumer",
    );
  });
});

describe("entitle with the app's own field paths", () => {
  const mapped: FieldPaths = {
    driverVehicle: ["fleet", "vehicleId"],
    driverDeliveryVehicle: ["fleet", "delivery", "vehicleId"],
    driverActive: ["fleet", "enabled"],
    tripConsumers: ["riderUid"],
    tripStatus: ["fe", "status"],
    shipmentConsumers: ["recipients"],
    taskVehicle: ["route", "vehicle"],
    taskConsumers: ["watchers"],
  };

  function mappedRepo(): MemoryAssignments {
    const assignments = new MemoryAssignments();
    assignments.drivers.set("driver-uid", {
      fleet: { vehicleId: "v-7", delivery: { vehicleId: "dv-7" }, enabled: true },
      vehicleId: "v-default", // the default field name means nothing under this mapping
    });
    assignments.trips.set("ride-1", { riderUid: "rider-uid", fe: { status: "NEW" } });
    assignments.shipments.set("parcel-1", { recipients: ["rider-uid", "other"] });
    return assignments;
  }

  it("reads every field param at its nested path", async () => {
    expect(await decide(driver, { type: "driver" }, mappedRepo(), mapped)).toEqual({
      type: "driver",
      resourceId: "v-7",
    });
    expect(await decide(driver, { type: "deliveryDriver" }, mappedRepo(), mapped)).toEqual({
      type: "deliveryDriver",
      resourceId: "dv-7",
    });
    expect(
      await decide(rider, { type: "consumer", resourceId: "ride-1" }, mappedRepo(), mapped),
    ).toEqual({ type: "consumer", resourceId: "ride-1" });
    expect(
      await decide(
        rider,
        { type: "deliveryConsumer", resourceId: "parcel-1" },
        mappedRepo(),
        mapped,
      ),
    ).toEqual({ type: "deliveryConsumer", resourceId: "parcel-1" });
  });

  it("takes one uid string or an array of uids in either consumers field", async () => {
    for (const [trip, shipment] of [
      [{ riderUid: "rider-uid" }, { recipients: "rider-uid" }],
      [{ riderUid: ["x", "rider-uid"] }, { recipients: ["rider-uid"] }],
    ]) {
      const assignments = mappedRepo();
      assignments.trips.set("ride-1", trip);
      assignments.shipments.set("parcel-1", shipment);
      expect(
        (await decide(rider, { type: "consumer", resourceId: "ride-1" }, assignments, mapped))
          .resourceId,
      ).toBe("ride-1");
      expect(
        (
          await decide(
            rider,
            { type: "deliveryConsumer", resourceId: "parcel-1" },
            assignments,
            mapped,
          )
        ).resourceId,
      ).toBe("parcel-1");
    }
  });

  it.each([
    ["driverActive false", { fleet: { vehicleId: "v-7", enabled: false } }, "driver-inactive"],
    ["driverActive a string", { fleet: { vehicleId: "v-7", enabled: "true" } }, "driver-inactive"],
    ["driverVehicle a number", { fleet: { vehicleId: 7 } }, "no-vehicle-assigned"],
    ["driverVehicle a map", { fleet: { vehicleId: { id: "v-7" } } }, "no-vehicle-assigned"],
    // fleet also holds the active flag (fleet.enabled), and a flag that cannot be read is off.
    ["driverVehicle's parent not a map", { fleet: "v-7" }, "driver-inactive"],
    ["driverVehicle's parent an array", { fleet: ["v-7"] }, "driver-inactive"],
    ["driverVehicle only at the default name", { vehicleId: "v-7" }, "no-vehicle-assigned"],
  ])("denies a driver with %s", async (_, document, reason) => {
    const assignments = mappedRepo();
    assignments.drivers.set("driver-uid", document);
    expect(await denial(driver, { type: "driver" }, assignments, mapped)).toBe(reason);
  });

  it.each([
    ["tripConsumers a number", { riderUid: 7, fe: { status: "NEW" } }, "not-trip-consumer"],
    ["tripConsumers a map", { riderUid: { uid: "rider-uid" } }, "not-trip-consumer"],
    ["tripConsumers nested arrays", { riderUid: [["rider-uid"]] }, "not-trip-consumer"],
    [
      "tripConsumers only at the default name",
      { consumerUids: ["rider-uid"] },
      "not-trip-consumer",
    ],
    ["tripStatus ended", { riderUid: "rider-uid", fe: { status: "COMPLETE" } }, "trip-ended"],
    [
      "tripStatus not a string",
      { riderUid: "rider-uid", fe: { status: 3 } },
      "trip-status-unreadable",
    ],
  ])("denies a trip with %s", async (_, document, reason) => {
    const assignments = mappedRepo();
    assignments.trips.set("ride-1", document);
    expect(
      await denial(rider, { type: "consumer", resourceId: "ride-1" }, assignments, mapped),
    ).toBe(reason);
  });

  it.each([
    ["shipmentConsumers someone else's uid", { recipients: "other" }],
    ["shipmentConsumers a boolean", { recipients: true }],
    ["shipmentConsumers only at the default name", { consumerUids: ["rider-uid"] }],
  ])("denies a shipment with %s", async (_, document) => {
    const assignments = mappedRepo();
    assignments.shipments.set("parcel-1", document);
    expect(
      await denial(
        rider,
        { type: "deliveryConsumer", resourceId: "parcel-1" },
        assignments,
        mapped,
      ),
    ).toBe("not-shipment-consumer");
  });
});

describe("nested field paths fail closed", () => {
  // The review's reproductions: a parent that exists but is not a map is not "absent".
  const nested: FieldPaths = {
    ...DEFAULT_FIELD_PATHS,
    tripStatus: ["fe", "status"],
    driverActive: ["employment", "active"],
    shipmentConsumers: ["recipients", "uids"],
  };

  it.each([
    ["a string", "COMPLETE", "string"],
    ["null", null, "null"],
    ["a number", 7, "number"],
    ["an array", ["NEW"], "array"],
    ["false", false, "boolean"],
  ])(
    "denies a trip whose status parent fe is %s (trip-status-unreadable)",
    async (_, fe, holds) => {
      const assignments = repo();
      assignments.trips.set("trip-1", { consumerUids: "rider-uid", fe });
      expect(
        await denialDetails(rider, { type: "consumer", resourceId: "trip-1" }, assignments, nested),
      ).toEqual({
        reason: "trip-status-unreadable",
        resourceId: "trip-1",
        field: "fe.status",
        problem: `unreadable: fe holds a ${holds}, not a map`,
      });
    },
  );

  it.each([
    ["false", false],
    ["null", null],
    ["true", true],
    ["a string", "active"],
    ["an array", [true]],
  ])(
    "denies a driver whose active flag's parent employment is %s (driver-inactive)",
    async (_, employment) => {
      const assignments = repo();
      assignments.drivers.set("driver-uid", { vehicleId: "v-1", employment });
      const details = await denialDetails(driver, { type: "driver" }, assignments, nested);
      expect(details).toMatchObject({ reason: "driver-inactive", field: "employment.active" });
      expect(details.problem).toMatch(/^unreadable: employment holds a \w+, not a map$/);
    },
  );

  it("still serves when the parent is missing: the field is absent, as in Firestore", async () => {
    const assignments = repo();
    assignments.trips.set("trip-1", { consumerUids: "rider-uid" });
    assignments.drivers.set("driver-uid", { vehicleId: "v-1" });
    assignments.shipments.set("track-1", { recipients: { uids: ["rider-uid"] } });
    expect(
      await decide(rider, { type: "consumer", resourceId: "trip-1" }, assignments, nested),
    ).toMatchObject({ resourceId: "trip-1" });
    expect(await decide(driver, { type: "driver" }, assignments, nested)).toMatchObject({
      resourceId: "v-1",
    });
    expect(
      await decide(rider, { type: "deliveryConsumer", resourceId: "track-1" }, assignments, nested),
    ).toMatchObject({ resourceId: "track-1" });
    // A map parent without the flag: absent too.
    assignments.drivers.set("driver-uid", { vehicleId: "v-1", employment: {} });
    expect(await decide(driver, { type: "driver" }, assignments, nested)).toMatchObject({
      resourceId: "v-1",
    });
  });

  it("denies a shipment whose consumers parent is not a map, naming the field", async () => {
    const assignments = repo();
    assignments.shipments.set("track-1", { recipients: "rider-uid" });
    expect(
      await denialDetails(
        rider,
        { type: "deliveryConsumer", resourceId: "track-1" },
        assignments,
        nested,
      ),
    ).toMatchObject({
      reason: "not-shipment-consumer",
      field: "recipients.uids",
      problem: "unreadable: recipients holds a string, not a map",
    });
  });

  it("denies a vehicle field whose parent is not a map, naming the field", async () => {
    const assignments = repo();
    assignments.drivers.set("driver-uid", { fleet: "v-1" });
    const error = await decide(driver, { type: "driver" }, assignments, {
      ...DEFAULT_FIELD_PATHS,
      driverVehicle: ["fleet", "vehicleId"],
    }).catch((thrown: unknown) => thrown as TokenServiceError);
    expect((error as TokenServiceError).details).toMatchObject({
      reason: "no-vehicle-assigned",
      field: "fleet.vehicleId",
      problem: "unreadable: fleet holds a string, not a map",
    });
  });
});

describe("consumers arrays hold uids and nothing else", () => {
  it.each<[unknown[]]>([
    [["rider-uid", 7, null]],
    [["rider-uid", null]],
    [["rider-uid", { uid: "x" }]],
    [["rider-uid", ["x"]]],
    [["rider-uid", true]],
  ])("denies a trip and a shipment listing the caller in %j", async (consumers) => {
    const assignments = repo();
    assignments.trips.set("trip-1", { consumerUids: consumers, status: "NEW" });
    assignments.shipments.set("track-1", { consumerUids: consumers });
    expect(await denial(rider, { type: "consumer", resourceId: "trip-1" }, assignments)).toBe(
      "not-trip-consumer",
    );
    expect(
      await denial(rider, { type: "deliveryConsumer", resourceId: "track-1" }, assignments),
    ).toBe("not-shipment-consumer");
  });

  it("logs what the array holds", async () => {
    const assignments = repo();
    assignments.trips.set("trip-1", { consumerUids: ["rider", 7, null] });
    const error = await decide(
      rider,
      { type: "consumer", resourceId: "trip-1" },
      assignments,
    ).catch((thrown: unknown) => thrown as TokenServiceError);
    expect((error as TokenServiceError).details).toMatchObject({
      reason: "not-trip-consumer",
      field: "consumerUids",
      problem: "an array holding a number",
    });
  });

  it("serves an array of strings that lists the caller, and an empty one lists nobody", async () => {
    const assignments = repo();
    assignments.trips.set("trip-1", { consumerUids: ["someone", "rider-uid"] });
    expect(
      await decide(rider, { type: "consumer", resourceId: "trip-1" }, assignments),
    ).toMatchObject({ resourceId: "trip-1" });
    assignments.trips.set("trip-1", { consumerUids: [] });
    expect(await denial(rider, { type: "consumer", resourceId: "trip-1" }, assignments)).toBe(
      "not-trip-consumer",
    );
  });
});

describe("tasks (issue 19): a trusted driver's task, a recipient's task", () => {
  const nested: FieldPaths = {
    ...DEFAULT_FIELD_PATHS,
    driverDeliveryVehicle: ["fleet", "deliveryVehicleId"],
    taskVehicle: ["route", "vehicle", "id"],
    taskConsumers: ["recipients", "uids"],
  };

  function tasksRepo(): MemoryAssignments {
    const assignments = repo();
    assignments.drivers.set("driver-uid", { fleet: { deliveryVehicleId: "dv-7" } });
    assignments.tasks.set("task-7", {
      route: { vehicle: { id: "dv-7" } },
      recipients: { uids: ["rider-uid"] },
    });
    return assignments;
  }

  it("reads the task's vehicle and consumers at their nested paths", async () => {
    expect(
      await decide(
        driver,
        { type: "trustedDeliveryDriver", taskId: "task-7" },
        tasksRepo(),
        nested,
      ),
    ).toEqual({ type: "trustedDeliveryDriver", resourceId: "dv-7", taskId: "task-7" });
    expect(
      await decide(rider, { type: "deliveryConsumer", taskId: "task-7" }, tasksRepo(), nested),
    ).toEqual({ type: "deliveryConsumer", resourceId: undefined, taskId: "task-7" });
  });

  it.each([
    ["a string", "dv-7"],
    ["null", null],
    ["an array", [{ id: "dv-7" }]],
  ])("denies a task whose vehicle parent route.vehicle is %s, naming it", async (_, vehicle) => {
    const assignments = tasksRepo();
    assignments.tasks.set("task-7", { route: { vehicle } });
    const logged = await denialDetails(
      driver,
      { type: "trustedDeliveryDriver", taskId: "task-7" },
      assignments,
      nested,
    );
    expect(logged).toMatchObject({
      reason: "task-not-on-vehicle",
      taskId: "task-7",
      field: "route.vehicle.id",
    });
    expect(logged.problem).toMatch(/^unreadable: route\.vehicle holds a \w+, not a map$/);
  });

  it("denies a task whose vehicle's parent is missing: absent is nobody's vehicle", async () => {
    const assignments = tasksRepo();
    assignments.tasks.set("task-7", { deliveryVehicleId: "dv-7" });
    expect(
      await denialDetails(
        driver,
        { type: "trustedDeliveryDriver", taskId: "task-7" },
        assignments,
        nested,
      ),
    ).toMatchObject({ reason: "task-not-on-vehicle", problem: "absent" });
  });

  it("denies a task whose consumers parent is not a map, naming the field", async () => {
    const assignments = tasksRepo();
    assignments.tasks.set("task-7", { recipients: "rider-uid" });
    expect(
      await denialDetails(
        rider,
        { type: "deliveryConsumer", taskId: "task-7" },
        assignments,
        nested,
      ),
    ).toMatchObject({
      reason: "not-task-consumer",
      field: "recipients.uids",
      problem: "unreadable: recipients holds a string, not a map",
    });
  });

  it.each<[unknown]>([[["rider-uid", 7]], [["rider-uid", null]], [{ 0: "rider-uid" }], [7]])(
    "denies a task whose consumers field is %j, even listing the caller",
    async (uids) => {
      const assignments = tasksRepo();
      assignments.tasks.set("task-7", { recipients: { uids } });
      expect(
        await denialDetails(
          rider,
          { type: "deliveryConsumer", taskId: "task-7" },
          assignments,
          nested,
        ),
      ).toMatchObject({ reason: "not-task-consumer" });
    },
  );

  it("reads only what the decision needs", async () => {
    const assignments = tasksRepo();
    await decide(driver, { type: "trustedDeliveryDriver" }, assignments, nested);
    expect(assignments.reads).toBe(1);
    await decide(driver, { type: "trustedDeliveryDriver", taskId: "task-7" }, assignments, nested);
    expect(assignments.reads).toBe(3);
    await decide(rider, { type: "deliveryConsumer", taskId: "task-7" }, assignments, nested);
    expect(assignments.reads).toBe(4);
  });

  it("refuses, as a bug, a task on a request whose type takes none", async () => {
    for (const request of [
      { type: "deliveryDriver", taskId: "task-7" },
      { type: "deliveryConsumer", resourceId: "track-1", taskId: "task-7" },
    ] as const) {
      await expect(decide(driver, request, tasksRepo(), nested)).rejects.toMatchObject({
        code: ErrorCode.Internal,
      });
    }
  });
});
