import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ErrorCode, TokenServiceError } from "../../../src/errors.js";
import {
  DevKeySigner,
  EMULATOR_ENV,
  devKeyFilePath,
  firebaseProjectDir,
  isFunctionsEmulator,
} from "../../../src/signing/dev-key-signer.js";
import { buildClaims } from "../../../src/token/claims.js";
import { createThrowawayKey } from "../../support/keys.js";
import { verifyFleetEngineToken } from "../../support/verify.js";

const EMULATOR = EMULATOR_ENV;

describe("isFunctionsEmulator", () => {
  it("needs the emulator's own FIREBASE_DEBUG_MODE beside FUNCTIONS_EMULATOR", () => {
    expect(isFunctionsEmulator({ FUNCTIONS_EMULATOR: "true", FIREBASE_DEBUG_MODE: "true" })).toBe(
      true,
    );
    expect(isFunctionsEmulator({ FUNCTIONS_EMULATOR: "true" })).toBe(false);
    expect(isFunctionsEmulator({ FIREBASE_DEBUG_MODE: "true" })).toBe(false);
    expect(isFunctionsEmulator({ FUNCTIONS_EMULATOR: "true", FIREBASE_DEBUG_MODE: "1" })).toBe(
      false,
    );
  });
});

describe("DevKeySigner", () => {
  it("refuses to exist outside the Functions emulator", () => {
    const key = createThrowawayKey();
    for (const env of [
      {},
      { FUNCTIONS_EMULATOR: "false" },
      { FUNCTIONS_EMULATOR: "1" },
      // What a line in functions/.env.<project> can ship to production: not the emulator.
      { FUNCTIONS_EMULATOR: "true" },
      { FUNCTIONS_EMULATOR: "true", FLEET_ENGINE_DEV_KEY_FILE: key.file },
      { FIREBASE_DEBUG_MODE: "true" },
    ]) {
      let thrown: unknown;
      try {
        new DevKeySigner(key.file, env);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TokenServiceError);
      expect((thrown as TokenServiceError).code).toBe(ErrorCode.Misconfigured);
      expect((thrown as TokenServiceError).clientCode).toBe("failed-precondition");
    }
  });

  it("signs RS256 with kid = private_key_id and iss = client_email", async () => {
    const key = createThrowawayKey("dev@demo-x.iam.gserviceaccount.com");
    const signer = new DevKeySigner(key.file, EMULATOR);
    expect(await signer.accountEmail()).toBe(key.email);
    const now = 1_800_000_000_000;
    const claims = buildClaims(key.email, { vehicleid: "v-1" }, now, 3600);
    const token = await signer.signJwt(claims);
    // Verify at the pinned time: jose checks exp against currentDate.
    const { jwtVerify } = await import("jose");
    const { payload, protectedHeader } = await jwtVerify(token, key.publicKey, {
      currentDate: new Date(now),
    });
    expect(protectedHeader).toEqual({ alg: "RS256", typ: "JWT", kid: key.keyId });
    expect(payload).toEqual(claims);
  });

  it("produces tokens that verify against the key's public half only", async () => {
    const key = createThrowawayKey();
    const other = createThrowawayKey();
    const signer = new DevKeySigner(key.file, EMULATOR);
    const iat = Date.now();
    const token = await signer.signJwt(buildClaims(key.email, { tripid: "t" }, iat, 600));
    const seconds = Math.floor(iat / 1000);
    await verifyFleetEngineToken(token, key.publicKey, {
      account: key.email,
      keyId: key.keyId,
      authorization: { tripid: "t" },
      ttlSeconds: 600,
      issuedBetween: [seconds, seconds],
    });
    await expect(
      verifyFleetEngineToken(token, other.publicKey, {
        account: key.email,
        keyId: key.keyId,
        authorization: { tripid: "t" },
        ttlSeconds: 600,
        issuedBetween: [seconds, seconds],
      }),
    ).rejects.toMatchObject({ code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
  });

  it("reports a missing or malformed key file as misconfiguration", async () => {
    const missing = new DevKeySigner("/nonexistent/key.json", EMULATOR);
    await expect(missing.accountEmail()).rejects.toMatchObject({ code: ErrorCode.Misconfigured });
    const key = createThrowawayKey();
    writeFileSync(key.file, JSON.stringify({ client_email: "x@y" }));
    const malformed = new DevKeySigner(key.file, EMULATOR);
    await expect(malformed.accountEmail()).rejects.toMatchObject({
      code: ErrorCode.Misconfigured,
      details: { reason: "dev-key-invalid" },
    });
    writeFileSync(
      key.file,
      JSON.stringify({
        client_email: "x@y",
        private_key_id: "k",
        private_key: "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
      }),
    );
    const garbage = new DevKeySigner(key.file, EMULATOR);
    await expect(garbage.signJwt({} as never)).rejects.toMatchObject({
      code: ErrorCode.Misconfigured,
      details: { reason: "dev-key-invalid" },
    });
  });

  it("finds the key file relative to the folder of firebase.json, or where the env says", () => {
    const root = path.resolve(__dirname, "..", "..", "..", "..");
    const functionsDir = path.join(root, "functions");
    expect(devKeyFilePath({}, functionsDir)).toBe(
      path.join(root, ".dev", "fleet-engine-dev-key.json"),
    );
    expect(devKeyFilePath({ FLEET_ENGINE_DEV_KEY_FILE: "keys/k.json" }, functionsDir)).toBe(
      path.join(root, "keys", "k.json"),
    );
    expect(devKeyFilePath({ FLEET_ENGINE_DEV_KEY_FILE: "/abs/k.json" }, functionsDir)).toBe(
      "/abs/k.json",
    );
  });

  it("resolves a kit instance's relative path from its app folder, not the package's", () => {
    const app = mkdtempSync(path.join(tmpdir(), "kit-app-"));
    const source = path.join(app, "function-kits", "kit", "source");
    mkdirSync(source, { recursive: true });
    writeFileSync(path.join(app, "firebase.json"), "{}");
    expect(devKeyFilePath({ FLEET_ENGINE_DEV_KEY_FILE: ".dev/key.json" }, source)).toBe(
      path.join(app, ".dev", "key.json"),
    );
    expect(firebaseProjectDir(source)).toBe(app);
    rmSync(app, { recursive: true });
  });

  it("refuses to guess where no firebase.json is above the function", () => {
    const lonely = mkdtempSync(path.join(tmpdir(), "no-project-"));
    expect(() => devKeyFilePath({}, lonely)).toThrow(TokenServiceError);
    rmSync(lonely, { recursive: true });
  });
});
