import { jwtVerify } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_PASSWORD } from "../../../scripts/lib/demo-data.mjs";
import { setField } from "../../../scripts/lib/demo-data.mjs";
import { setDocument } from "../../../scripts/lib/emulator-rest.mjs";
import { seedDemoData } from "../../../scripts/lib/seed.mjs";
import {
  createAuthTokenFetcher,
  FleetEngineTokenError,
  getFleetEngineToken,
  type AuthTokenFetcherOptions,
} from "fleet-engine-firebase-tokens-web";
import {
  emulatorClient,
  emulatorFunctions,
  emulatorSigningKey,
  isCallableRequest,
} from "../support/emulators.js";

/**
 * The package as an app uses it (imported by its name, i.e. the built ESM), with the real
 * firebase web SDK in Node against the Auth, Firestore and Functions emulators and the seeded
 * demo world: rider@demo.test rides trip-1 and receives shipment-1; trip-2 is someone else's.
 */

const RIDER = "rider@demo.test";
const DRIVER = "driver@demo.test";
const OPERATOR = "operator@demo.test";
const key = emulatorSigningKey();
const client = emulatorClient();
const fetchSpy = vi.spyOn(globalThis, "fetch");
const callableRequests = (): number =>
  fetchSpy.mock.calls.filter(([input]) => isCallableRequest(input)).length;

beforeAll(async () => {
  await seedDemoData();
});

afterEach(async () => {
  await client.signOut();
});

afterAll(async () => {
  fetchSpy.mockRestore();
  await client.close();
});

const tripContext = (tripId: string): AuthTokenFetcherOptions => ({
  context: { tripId },
  serviceType: "TRIP_SERVICE",
});

async function verifiedClaims(token: string) {
  const { payload, protectedHeader } = await jwtVerify(token, key.publicKey, {
    algorithms: ["RS256"],
    audience: "https://fleetengine.googleapis.com/",
    issuer: key.email,
  });
  expect(protectedHeader.kid).toBe(key.keyId);
  return payload;
}

describe("getFleetEngineToken against the emulators", () => {
  it("gives the rider a consumer token for their trip, expiry in seconds", async () => {
    await client.signIn(RIDER, DEMO_PASSWORD);
    const before = Date.now();
    const response = await getFleetEngineToken(client.functions, {
      type: "consumer",
      tripId: "trip-1",
    });
    expect(response.type).toBe("consumer");
    expect(response.authorization).toEqual({ tripid: "trip-1" });
    expect(Number.isInteger(response.expiresInSeconds)).toBe(true);
    expect(response.expiresInSeconds).toBeGreaterThan(3590);
    expect(response.expiresInSeconds).toBeLessThanOrEqual(3600);
    expect(response.expiresAtMillis).toBeGreaterThan(before + 3590_000);
    const claims = await verifiedClaims(response.token);
    expect(claims.authorization).toEqual({ tripid: "trip-1" });
    expect(claims.exp! * 1000).toBe(response.expiresAtMillis);
  });

  it("refuses someone else's trip with permission-denied", async () => {
    await client.signIn(RIDER, DEMO_PASSWORD);
    const refusal = getFleetEngineToken(client.functions, { type: "consumer", tripId: "trip-2" });
    await expect(refusal).rejects.toBeInstanceOf(FleetEngineTokenError);
    await expect(refusal).rejects.toMatchObject({ code: "permission-denied" });
  });

  it("refuses a signed-out caller with unauthenticated", async () => {
    await expect(
      getFleetEngineToken(client.functions, { type: "consumer", tripId: "trip-1" }),
    ).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("passes the service's invalid-argument through, naming the field", async () => {
    await client.signIn(RIDER, DEMO_PASSWORD);
    const refusal = getFleetEngineToken(client.functions, { type: "consumer", tripId: "a/b" });
    await expect(refusal).rejects.toMatchObject({ code: "invalid-argument" });
    await expect(refusal).rejects.toThrow(/tripId/);
  });

  it("works with limited-use App Check tokens", async () => {
    await client.signIn(RIDER, DEMO_PASSWORD);
    const response = await getFleetEngineToken(
      client.functions,
      { type: "deliveryConsumer", trackingId: "shipment-1" },
      { limitedUseAppCheckTokens: true },
    );
    expect(response.authorization).toEqual({ trackingid: "shipment-1" });
  });
});

describe("createAuthTokenFetcher against the emulators", () => {
  it("mints once, then serves the cached token with the seconds left", async () => {
    await client.signIn(RIDER, DEMO_PASSWORD);
    const fetcher = createAuthTokenFetcher(client.functions, { type: "consumer" });
    const before = callableRequests();
    const first = await fetcher(tripContext("trip-1"));
    const second = await fetcher(tripContext("trip-1"));
    expect(second.token).toBe(first.token);
    expect(second.expiresInSeconds).toBeLessThanOrEqual(first.expiresInSeconds);
    expect(first.expiresInSeconds).toBeGreaterThan(3590);
    expect(callableRequests() - before).toBe(1);
    expect((await verifiedClaims(first.token)).authorization).toEqual({ tripid: "trip-1" });
  });

  it("shares one call between concurrent callers", async () => {
    await client.signIn(RIDER, DEMO_PASSWORD);
    const fetcher = createAuthTokenFetcher(client.functions, { type: "deliveryConsumer" });
    const before = callableRequests();
    const tokens = await Promise.all(
      [1, 2, 3, 4].map(() =>
        fetcher({ context: { trackingId: "shipment-1" }, serviceType: "TASK_SERVICE" }),
      ),
    );
    expect(new Set(tokens.map((token) => token.token)).size).toBe(1);
    expect(callableRequests() - before).toBe(1);
  });

  it("maps the driver's vehicleId and the operator's wildcard from the context", async () => {
    await client.signIn(DRIVER, DEMO_PASSWORD);
    const driver = createAuthTokenFetcher(client.functions, { type: "driver" });
    const vehicle = await driver({ context: { vehicleId: "vehicle-1" }, serviceType: "X" });
    expect((await verifiedClaims(vehicle.token)).authorization).toEqual({
      vehicleid: "vehicle-1",
    });
    await client.signOut();

    await client.signIn(OPERATOR, DEMO_PASSWORD);
    const operator = createAuthTokenFetcher(client.functions, { type: "fleetReader" });
    const fleet = await operator({ context: { vehicleId: "vehicle-1" }, serviceType: "X" });
    expect((await verifiedClaims(fleet.token)).authorization).toEqual({
      vehicleid: "*",
      tripid: "*",
    });
  });

  it("rejects someone else's trip with a FleetEngineTokenError keeping permission-denied", async () => {
    await client.signIn(RIDER, DEMO_PASSWORD);
    const fetcher = createAuthTokenFetcher(client.functions, { type: "consumer" });
    const refusal = fetcher(tripContext("trip-2"));
    await expect(refusal).rejects.toBeInstanceOf(FleetEngineTokenError);
    await expect(refusal).rejects.toMatchObject({ code: "permission-denied" });
  });

  it("does not hand the rider's cached token to the next user who signs in", async () => {
    const fetcher = createAuthTokenFetcher(client.functions, {
      type: "consumer",
      auth: client.auth,
    });
    await client.signIn(RIDER, DEMO_PASSWORD);
    await fetcher(tripContext("trip-1"));
    await client.signOut();
    await client.signIn(DRIVER, DEMO_PASSWORD);
    await expect(fetcher(tripContext("trip-1"))).rejects.toMatchObject({
      code: "permission-denied",
    });
  });
});

describe("a callable served under another name, as a function kit instance's is", () => {
  // scripts/emulators-exec.mjs loads the function a second time with the prefix `mapped`, its
  // own region and data model: the way a kit instance runs as kit-<instance>-getFleetEngineToken.
  const mapped = JSON.parse(process.env.FLEET_ENGINE_MAPPED_PARAMS ?? "{}") as Record<
    string,
    string
  >;
  const functionName = "mapped-getFleetEngineToken";
  const ride = "web-client-ride";

  it("is called by functionName, once and through the fetcher", async () => {
    expect(mapped.REGION).toBeTruthy();
    const riderUid = await client.signIn(RIDER, DEMO_PASSWORD);
    const document: Record<string, unknown> = {};
    setField(document, mapped.TRIP_CONSUMERS_FIELD, riderUid);
    setField(document, mapped.TRIP_STATUS_FIELD, "ENROUTE_TO_PICKUP");
    await setDocument(`${mapped.TRIPS_COLLECTION}/${ride}`, document);
    const functions = emulatorFunctions(client.app, mapped.REGION);

    const once = await getFleetEngineToken(
      functions,
      { type: "consumer", tripId: ride },
      { functionName },
    );
    expect(once.authorization).toEqual({ tripid: ride });
    expect((await verifiedClaims(once.token)).authorization).toEqual({ tripid: ride });

    const fetcher = createAuthTokenFetcher(functions, {
      type: "consumer",
      functionName,
      auth: client.auth,
    });
    const { token } = await fetcher(tripContext(ride));
    expect((await verifiedClaims(token)).authorization).toEqual({ tripid: ride });

    // Without the name, the default one is asked for, which that region does not serve.
    await expect(
      getFleetEngineToken(functions, { type: "consumer", tripId: ride }),
    ).rejects.toMatchObject({ code: "not-found" });
  });
});
