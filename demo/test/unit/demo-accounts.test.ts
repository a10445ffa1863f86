import { describe, expect, it } from "vitest";
import { DEMO_USERS, demoDocuments } from "../../../scripts/lib/demo-data.mjs";
import { DEFAULT_DATA_MODEL, ENABLED_TYPES_PARAM } from "../../../scripts/lib/params.mjs";
import type { AuthTokenContext } from "fleet-engine-firebase-tokens-web";
import { DEMO_ACCOUNTS, demoAccounts } from "../../src/demo-accounts.js";

/** The page offers what the seed makes true: a wrong table would show refusals as successes. */

/** The seed with the default data model, whose field names the checks below read. */
const documents = demoDocuments(DEFAULT_DATA_MODEL);

function seededEntitlement(uid: string, type: string, context: AuthTokenContext): boolean {
  const driver = documents[`drivers/${uid}`];
  const claims = DEMO_USERS.find((user) => user.uid === uid)?.claims ?? {};
  switch (type) {
    case "driver":
      return driver?.vehicleId === context.vehicleId;
    case "deliveryDriver":
      return driver?.deliveryVehicleId === context.deliveryVehicleId;
    case "trustedDeliveryDriver": {
      const vehicle = driver?.deliveryVehicleId;
      if (vehicle === undefined) return false;
      const named = context.deliveryVehicleId ?? undefined;
      if (named !== undefined && named !== vehicle) return false;
      const taskId = context.taskId ?? undefined;
      if (taskId === undefined) return true;
      return documents[`tasks/${taskId}`]?.deliveryVehicleId === vehicle;
    }
    case "consumer": {
      const trip = documents[`trips/${String(context.tripId)}`];
      const uids = (trip?.consumerUids as string[] | undefined) ?? [];
      return uids.includes(uid) && trip?.status !== "COMPLETE" && trip?.status !== "CANCELED";
    }
    case "deliveryConsumer": {
      const trackingId = context.trackingId ?? undefined;
      const followed =
        trackingId !== undefined
          ? documents[`shipments/${trackingId}`]
          : documents[`tasks/${String(context.taskId)}`];
      return ((followed?.consumerUids as string[] | undefined) ?? []).includes(uid);
    }
    default:
      return claims.fleetReader === true;
  }
}

describe("the demo accounts on the page", () => {
  it("show both task kinds: a trusted driver's task and a recipient's task", () => {
    const served = DEMO_ACCOUNTS.flatMap((account) => account.requests).filter(
      (request) => !request.refused,
    );
    expect(served.map((request) => request.id)).toEqual(
      expect.arrayContaining(["trusted-delivery-driver-task-1", "delivery-consumer-task-1"]),
    );
  });

  it("mark the opt-in trustedDeliveryDriver as not enabled under the default types", () => {
    const defaults = demoAccounts(ENABLED_TYPES_PARAM.default.split(","));
    const trusted = defaults
      .flatMap((account) => account.requests)
      .filter((request) => request.type === "trustedDeliveryDriver");
    expect(trusted.length).toBe(2);
    for (const request of trusted) expect(request.label).toContain("(type not enabled)");
  });

  it("are the seeded accounts, each with at least one token it may have", () => {
    expect(DEMO_ACCOUNTS.map((account) => account.email)).toEqual(
      DEMO_USERS.map((user) => user.email),
    );
    for (const account of DEMO_ACCOUNTS) {
      expect(account.requests.filter((request) => !request.refused).length).toBeGreaterThan(0);
    }
  });

  it("mark as refused exactly the requests the seeded data refuses", () => {
    for (const account of DEMO_ACCOUNTS) {
      for (const request of account.requests) {
        const entitled = seededEntitlement(account.uid, request.type, request.fetch.context);
        expect({ account: account.email, request: request.id, entitled }).toEqual({
          account: account.email,
          request: request.id,
          entitled: !request.refused,
        });
      }
    }
  });
});

describe("the demo accounts with ENABLED_TOKEN_TYPES=driver,consumer,fleetReader", () => {
  it("mark the requests of the other types as refused, saying why", () => {
    const accounts = demoAccounts(["driver", "consumer", "fleetReader"]);
    const requests = accounts.flatMap((account) => account.requests);
    const disabled = requests.filter((request) =>
      [
        "deliveryDriver",
        "trustedDeliveryDriver",
        "deliveryConsumer",
        "deliveryFleetReader",
      ].includes(request.type),
    );
    expect(disabled.length).toBe(6);
    for (const request of disabled) {
      expect(request.refused).toBe(true);
      expect(request.why).toContain("ENABLED_TOKEN_TYPES");
      expect(request.label).toContain("(type not enabled)");
    }
    const served = requests.filter((request) => !disabled.includes(request));
    expect(served.filter((request) => !request.refused).map((request) => request.id)).toEqual([
      "driver-vehicle-1",
      "consumer-trip-1",
      "fleet-reader",
    ]);
  });
});
