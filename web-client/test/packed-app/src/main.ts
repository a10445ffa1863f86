/**
 * A user's app, typechecked and built against the INSTALLED package (the tarball of
 * `npm pack -w web-client`), run in Node with the real firebase web SDK against the emulators.
 * It prints what it saw as one JSON line, and never a token: the rider's token goes to the file
 * the test names, so that the test can verify its signature.
 *
 *   node dist/main.js '{"authHost":"127.0.0.1:9099", ...}'
 */
import { writeFileSync } from "node:fs";
import { deleteApp, initializeApp, SDK_VERSION } from "firebase/app";
import { initializeAppCheck } from "firebase/app-check";
import {
  connectAuthEmulator,
  initializeAuth,
  inMemoryPersistence,
  signInWithEmailAndPassword,
  signOut,
} from "firebase/auth";
import { connectFunctionsEmulator, getFunctions } from "firebase/functions";
import {
  createAuthTokenFetcher,
  getFleetEngineToken,
  isFleetEngineTokenError,
  type AuthTokenFetcherOptions,
  type FleetEngineTokenErrorCode,
} from "fleet-engine-firebase-tokens-web";
import { emulatorAppCheckProvider } from "fleet-engine-firebase-tokens-web/emulator";

interface Settings {
  authHost: string;
  functionsHost: string;
  functionsPort: number;
  projectId: string;
  rider: string;
  /** The rider's trip, and someone else's. */
  tripId: string;
  otherTripId: string;
  otherUser: string;
  password: string;
  tokenFile: string;
}

const FUNCTIONS_REGION = "us-central1"; // the service's REGION param
const settings = JSON.parse(process.argv[2] ?? "{}") as Settings;

const app = initializeApp({
  projectId: settings.projectId,
  apiKey: "demo-api-key",
  appId: "1:000000000000:web:0000000000000000000000",
});
initializeAppCheck(app, {
  provider: emulatorAppCheckProvider(app), // EMULATOR ONLY
  isTokenAutoRefreshEnabled: false,
});
const auth = initializeAuth(app, { persistence: inMemoryPersistence });
connectAuthEmulator(auth, `http://${settings.authHost}`, { disableWarnings: true });
const functions = getFunctions(app, FUNCTIONS_REGION);
connectFunctionsEmulator(functions, settings.functionsHost, settings.functionsPort);

async function refusal(call: () => Promise<unknown>): Promise<FleetEngineTokenErrorCode | "none"> {
  try {
    await call();
    return "none";
  } catch (error) {
    if (isFleetEngineTokenError(error)) return error.code;
    throw error;
  }
}

const trip = (id: string): AuthTokenFetcherOptions => ({
  context: { tripId: id },
  serviceType: "TRIP_SERVICE",
});

try {
  await signInWithEmailAndPassword(auth, settings.rider, settings.password);

  // One call: the rider's token for their trip; someone else's trip refused.
  const { tripId, otherTripId } = settings;
  const response = await getFleetEngineToken(functions, { type: "consumer", tripId });
  writeFileSync(settings.tokenFile, response.token, { mode: 0o600 });
  const otherTrip = await refusal(() =>
    getFleetEngineToken(functions, { type: "consumer", tripId: otherTripId }),
  );

  // The fetcher the Maps journey-sharing library takes: cached for the rider, never served to
  // the next user who signs in on the same page.
  let calls = 0;
  const fetcher = createAuthTokenFetcher(functions, {
    type: "consumer",
    auth,
    onTokenFetched: () => calls++,
  }) satisfies google.maps.journeySharing.AuthTokenFetcher;
  const first = await fetcher(trip(tripId));
  const second = await fetcher(trip(tripId));
  const riderCalls = calls;
  await signOut(auth);
  await signInWithEmailAndPassword(auth, settings.otherUser, settings.password);
  const afterSwitch = await refusal(() => fetcher(trip(tripId)));

  console.log(
    JSON.stringify({
      sdkVersion: SDK_VERSION,
      rider: {
        type: response.type,
        authorization: response.authorization,
        expiresInSeconds: response.expiresInSeconds,
      },
      otherTrip,
      fetcher: {
        sameTokenFromCache: first.token === second.token,
        secondsLeft: second.expiresInSeconds,
        riderCalls,
        afterSwitch,
      },
    }),
  );
} finally {
  await deleteApp(app);
}
