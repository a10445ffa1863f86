import type { FirebaseApp } from "firebase/app";
import { CustomProvider } from "firebase/app-check";

/** Lifetime of the unsigned tokens this provider makes. */
const TOKEN_LIFETIME_SECONDS = 3600;

function base64url(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * An UNSIGNED App Check token for `app`, shaped the way the Functions EMULATOR reads it. The
 * emulator only decodes App Check tokens; it never verifies them. Production verifies every
 * token's signature, so this one is refused there.
 */
export function unsignedEmulatorAppCheckToken(app: FirebaseApp, nowMillis = Date.now()): string {
  const { appId, projectId } = app.options;
  if (!appId || !projectId) {
    throw new TypeError(
      "emulatorAppCheckProvider: the Firebase app needs options.appId and options.projectId",
    );
  }
  const now = Math.floor(nowMillis / 1000);
  const header = base64url({ alg: "none", typ: "JWT" });
  const payload = base64url({
    sub: appId,
    aud: [`projects/${projectId}`],
    iss: "https://firebaseappcheck.googleapis.com/emulator",
    iat: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
  });
  return `${header}.${payload}.`;
}

/**
 * EMULATOR ONLY. An App Check provider for local development against the Firebase emulators,
 * where no attestation service is reachable: the callable enforces App Check by default
 * (ENFORCE_APP_CHECK), even in the emulator, which only decodes the token it is sent.
 *
 * In production use a real provider instead: `ReCaptchaEnterpriseProvider` on the web (Play
 * Integrity on Android, App Attest / DeviceCheck on iOS). A token from this provider is
 * refused by every deployed function that enforces App Check.
 *
 * @example
 * initializeAppCheck(app, { provider: emulatorAppCheckProvider(app) }); // emulators only
 */
export function emulatorAppCheckProvider(app: FirebaseApp): CustomProvider {
  return new CustomProvider({
    getToken: () => {
      const now = Date.now();
      return Promise.resolve({
        token: unsignedEmulatorAppCheckToken(app, now),
        expireTimeMillis: now + TOKEN_LIFETIME_SECONDS * 1000,
      });
    },
  });
}
