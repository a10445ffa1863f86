import { initializeApp } from "firebase/app";
import { getToken, initializeAppCheck } from "firebase/app-check";
import { describe, expect, it } from "vitest";
import {
  emulatorAppCheckProvider,
  unsignedEmulatorAppCheckToken,
} from "../../src/emulator/index.js";

const app = initializeApp(
  { projectId: "demo-fleet-engine", apiKey: "k", appId: "1:000000000000:web:abc" },
  "emulator-app-check-test",
);

const decode = (segment: string): unknown =>
  JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));

describe("the emulator App Check token", () => {
  it("is an UNSIGNED JWT naming the app, as the Functions emulator decodes it", () => {
    const now = Date.UTC(2026, 10, 1);
    const [header, payload, signature] = unsignedEmulatorAppCheckToken(app, now).split(".");
    expect(decode(header)).toEqual({ alg: "none", typ: "JWT" });
    expect(decode(payload)).toEqual({
      sub: "1:000000000000:web:abc",
      aud: ["projects/demo-fleet-engine"],
      iss: "https://firebaseappcheck.googleapis.com/emulator",
      iat: now / 1000,
      exp: now / 1000 + 3600,
    });
    expect(signature).toBe("");
  });

  it("needs the app's appId and projectId", () => {
    const bare = initializeApp({ projectId: "demo-x", apiKey: "k" }, "no-app-id");
    expect(() => unsignedEmulatorAppCheckToken(bare)).toThrow(/appId/);
  });

  it("is what App Check hands out with the emulator provider", async () => {
    const appCheck = initializeAppCheck(app, {
      provider: emulatorAppCheckProvider(app),
      isTokenAutoRefreshEnabled: false,
    });
    const before = Math.floor(Date.now() / 1000);
    const { token } = await getToken(appCheck);
    const payload = decode(token.split(".")[1]) as { sub: string; exp: number };
    expect(payload.sub).toBe("1:000000000000:web:abc");
    expect(payload.exp).toBeGreaterThanOrEqual(before + 3600);
  });
});
