/**
 * How an app tests ITS OWN data model against the callable, with firebase-functions-test: the
 * README's "Testing" section shows this file as it is. It runs the real callable in-process
 * (wrap), with the Auth and Firestore emulators for the user lookup and the document read
 * (`firebase emulators:exec --only auth,firestore "npx vitest run"`; here npm run
 * test:integration). Change the import to where your getFleetEngineToken comes from.
 */
import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import functionsTest from "firebase-functions-test";
import type { CallableRequest } from "firebase-functions/https";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getFleetEngineToken } from "../../src/index.js";

// Your data model: the params of your functions/.env.<project>, then the defaults of the others.
// The CLI loads params files for a deploy or the emulator; in a test process, you do.
process.env.TRIPS_COLLECTION = "rides";
process.env.TRIP_CONSUMERS_FIELD = "riderUid";
process.env.TRIP_STATUS_FIELD = "state";
process.loadEnvFile(`${__dirname}/../../.env`);
// Sign with the local dev key (FLEET_ENGINE_DEV_KEY_FILE, or the one npm start made), as in the
// Functions emulator: these two variables are what the emulator gives the function.
process.env.FUNCTIONS_EMULATOR = "true";
process.env.FIREBASE_DEBUG_MODE = "true";

const test = functionsTest({ projectId: process.env.GCLOUD_PROJECT });
initializeApp(); // the default app, which the callable uses too
const callable = test.wrap(getFleetEngineToken);

/** A call as the framework hands it over once it has verified the ID and App Check tokens. */
function from(uid: string, data: unknown): CallableRequest {
  const now = Math.floor(Date.now() / 1000);
  return {
    data,
    auth: { uid, token: { uid, auth_time: now }, rawToken: "" },
    app: { appId: "1:000000000000:android:0000", token: {}, alreadyConsumed: false },
    acceptsStreaming: false,
    rawRequest: {},
  } as unknown as CallableRequest;
}

beforeAll(async () => {
  await getAuth().createUser({ uid: "adopter-ada" });
  await getAuth().createUser({ uid: "adopter-bob" });
  await getFirestore()
    .doc("rides/adopter-ride-7")
    .set({ riderUid: "adopter-ada", state: "ENROUTE_TO_PICKUP" });
  await getFirestore()
    .doc("rides/adopter-ride-8")
    .set({ riderUid: "adopter-ada", state: "COMPLETE" });
});

afterAll(() => test.cleanup());

it("gives the rider of a ride a consumer token for it", async () => {
  const answer = await callable(
    from("adopter-ada", { type: "consumer", tripId: "adopter-ride-7" }),
  );
  expect(answer.authorization).toEqual({ tripid: "adopter-ride-7" });
  expect(answer.expiresInSeconds).toBeGreaterThan(3500);
});

it("refuses someone else, and a ride that has ended", async () => {
  await expect(
    callable(from("adopter-bob", { type: "consumer", tripId: "adopter-ride-7" })),
  ).rejects.toMatchObject({ code: "permission-denied" });
  await expect(
    callable(from("adopter-ada", { type: "consumer", tripId: "adopter-ride-8" })),
  ).rejects.toMatchObject({ code: "permission-denied" });
});
