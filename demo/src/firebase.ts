import { initializeApp, SDK_VERSION } from "firebase/app";
import { initializeAppCheck } from "firebase/app-check";
import { browserSessionPersistence, connectAuthEmulator, initializeAuth } from "firebase/auth";
import { connectFunctionsEmulator, getFunctions } from "firebase/functions";
import { emulatorAppCheckProvider } from "fleet-engine-firebase-tokens-web/emulator";

/**
 * The demo's Firebase app, wired to the LOCAL EMULATORS ONLY: a `demo-` project (which never
 * reaches Google), the Auth and Functions emulators, and App Check with unsigned emulator
 * tokens. A real app initialises App Check with ReCaptchaEnterpriseProvider instead.
 */

// The emulators listen on 127.0.0.1; naming it (not the page's host) keeps "localhost" pages,
// which may resolve to ::1, working too.
const EMULATOR_HOST = "127.0.0.1";

export const app = initializeApp({
  projectId: __EMULATORS__.projectId,
  apiKey: "demo-api-key",
  appId: "1:000000000000:web:0000000000000000000000",
});

initializeAppCheck(app, {
  provider: emulatorAppCheckProvider(app), // EMULATOR ONLY
  isTokenAutoRefreshEnabled: false,
});

/** Session persistence: a reload keeps the demo user signed in, a new tab starts fresh. */
export const auth = initializeAuth(app, { persistence: browserSessionPersistence });
// The page says loudly that it runs on the emulators; the SDK's own banner would cover it.
connectAuthEmulator(auth, `http://${EMULATOR_HOST}:${__EMULATORS__.authPort}`, {
  disableWarnings: true,
});

export const functions = getFunctions(app, __EMULATORS__.region);
connectFunctionsEmulator(functions, EMULATOR_HOST, __EMULATORS__.functionsPort);

/** Which firebase the page bundled (one copy: vite.config.ts), for the reader and the test. */
export const sdkVersion = SDK_VERSION;
