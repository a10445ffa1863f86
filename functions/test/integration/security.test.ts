import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createUser,
  setCustomClaims,
  signInWithCustomUid,
  type TestUser,
} from "../support/auth-emulator.js";
import { callTokenFunction } from "../support/callable.js";
import { adminFirestore } from "../support/firestore-admin.js";

/**
 * The gaps of the second security review, through the Functions emulator with real Auth users
 * and Firestore documents: current claims, the trip status allowlist, and uids that are paths.
 */

const id = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

describe("an operator whose claim is removed", () => {
  it("is refused at the next call with the same ID token, without a session revocation", async () => {
    const operator = await createUser("demoted-operator", { fleetReader: true });
    const before = await callTokenFunction(operator.idToken, { type: "fleetReader" });
    expect(before.status).toBe(200);
    expect(before.result?.authorization).toEqual({ vehicleid: "*", tripid: "*" });

    await setCustomClaims(operator.uid, {}); // what setCustomUserClaims(uid, {}) does
    for (const type of ["fleetReader", "deliveryFleetReader"]) {
      const after = await callTokenFunction(operator.idToken, { type });
      expect(after.status).toBe(403);
      expect(after.error?.status).toBe("PERMISSION_DENIED");
      expect(after.result).toBeUndefined();
    }
  });

  it("and a user promoted after signing in is served with the ID token they already hold", async () => {
    const user = await createUser("promoted-operator");
    expect((await callTokenFunction(user.idToken, { type: "fleetReader" })).status).toBe(403);
    await setCustomClaims(user.uid, { fleetReader: true });
    const after = await callTokenFunction(user.idToken, { type: "deliveryFleetReader" });
    expect(after.status).toBe(200);
  });
});

describe("the trip status allowlist", () => {
  let rider: TestUser;
  beforeAll(async () => {
    rider = await createUser("status-rider");
  });

  async function riderCall(status: unknown): Promise<number> {
    const tripId = id("trip");
    const document: Record<string, unknown> = { consumerUids: [rider.uid] };
    if (status !== undefined) document.status = status;
    await adminFirestore().doc(`trips/${tripId}`).set(document);
    return (await callTokenFunction(rider.idToken, { type: "consumer", tripId })).status;
  }

  it.each(["COMPLETED", "ARCHIVED", "UNKNOWN_TRIP_STATUS", "COMPLETE", "CANCELED", "new", 7])(
    "refuses a trip whose status is %j",
    async (status) => {
      expect(await riderCall(status)).toBe(403);
    },
  );

  it.each(["ENROUTE_TO_DROPOFF", "NEW", undefined])(
    "serves a trip whose status is %j",
    async (status) => {
      expect(await riderCall(status)).toBe(200);
    },
  );
});

describe("a uid that is a path", () => {
  it("gets permission-denied, and the document that path names is never read", async () => {
    const victim = await createUser("victim");
    const vehicleId = id("vehicle");
    // What the attacker hopes the function reads as "their" driver document.
    await adminFirestore().doc(`drivers/${victim.uid}/assignments/x`).set({ vehicleId });
    const idToken = await signInWithCustomUid(`${victim.uid}/assignments/x`);
    for (const data of [{ type: "driver" }, { type: "driver", vehicleId }]) {
      const answer = await callTokenFunction(idToken, data);
      expect(answer.status).toBe(403);
      expect(answer.error?.status).toBe("PERMISSION_DENIED");
      expect(answer.result).toBeUndefined();
    }
  });

  it.each(["a/b", "..", "__reserved__"])(
    "gets permission-denied, never internal, for uid %j",
    async (uid) => {
      const idToken = await signInWithCustomUid(uid);
      const answer = await callTokenFunction(idToken, { type: "driver" });
      expect(answer.status).toBe(403);
      expect(answer.error?.status).toBe("PERMISSION_DENIED");
    },
  );
});
