import { PROJECT_ID } from "./emulator-env.js";

export const DEMO_APP_ID = "1:000000000000:web:0000000000000000000000";

/**
 * An App Check token as the Functions emulator accepts it: JWT-shaped, decoded but never
 * verified (the emulator runs firebase-functions with skipTokenVerification). In production
 * only a token signed by App Check passes.
 */
export function emulatorAppCheckToken(appId = DEMO_APP_ID): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown): string =>
    Buffer.from(JSON.stringify(value)).toString("base64url");
  return [
    encode({ alg: "none", typ: "JWT" }),
    encode({
      sub: appId,
      aud: [`projects/${PROJECT_ID}`],
      iss: "https://firebaseappcheck.googleapis.com/000000000000",
      iat: now,
      exp: now + 3600,
    }),
    "",
  ].join(".");
}
