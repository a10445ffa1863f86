import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUser, disableUser, revokeSessions } from "../support/auth-emulator.js";
import { callTokenFunction } from "../support/callable.js";
import { adminFirestore } from "../support/firestore-admin.js";

/**
 * A fired driver is cut off at once: each of the three ways to fire one makes the very next
 * call with the ID token they still hold fail. Each test first shows the call succeeding.
 */

async function hiredDriver(): Promise<{ uid: string; idToken: string; vehicleId: string }> {
  const user = await createUser("fired-driver");
  const vehicleId = `vehicle-${randomUUID().slice(0, 8)}`;
  await adminFirestore().doc(`drivers/${user.uid}`).set({ vehicleId, active: true });
  const before = await callTokenFunction(user.idToken, { type: "driver" });
  expect(before.status).toBe(200);
  expect(before.result?.authorization).toEqual({ vehicleid: vehicleId });
  return { uid: user.uid, idToken: user.idToken, vehicleId };
}

describe("cutting a driver off", () => {
  it("revoking their sessions (revokeRefreshTokens) refuses their still-unexpired ID token", async () => {
    const driver = await hiredDriver();
    await revokeSessions(driver.uid);
    const after = await callTokenFunction(driver.idToken, { type: "driver" });
    expect(after.status).toBe(401);
    expect(after.error?.status).toBe("UNAUTHENTICATED");
    expect(after.result).toBeUndefined();
  });

  it("disabling their account refuses their ID token", async () => {
    const driver = await hiredDriver();
    await disableUser(driver.uid);
    const after = await callTokenFunction(driver.idToken, { type: "driver" });
    expect(after.status).toBe(401);
    expect(after.error?.status).toBe("UNAUTHENTICATED");
    expect(after.result).toBeUndefined();
  });

  it("setting active: false on their driver document refuses them", async () => {
    const driver = await hiredDriver();
    await adminFirestore().doc(`drivers/${driver.uid}`).update({ active: false });
    const after = await callTokenFunction(driver.idToken, { type: "driver" });
    expect(after.status).toBe(403);
    expect(after.error?.status).toBe("PERMISSION_DENIED");
    expect(after.result).toBeUndefined();
  });
});
