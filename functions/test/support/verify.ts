import type { KeyObject } from "node:crypto";
import { jwtVerify, type JWTHeaderParameters, type JWTPayload } from "jose";
import { expect } from "vitest";

export const FLEET_ENGINE_AUDIENCE = "https://fleetengine.googleapis.com/";

export interface VerifiedToken {
  header: JWTHeaderParameters;
  payload: JWTPayload;
}

/**
 * Verifies the signature with the public half of the key, then asserts the header and EVERY
 * claim: exactly iss, sub, aud, iat, exp and authorization, with the expected values.
 */
export async function verifyFleetEngineToken(
  token: string,
  key: KeyObject,
  expected: {
    account: string;
    keyId: string;
    authorization: Record<string, string>;
    ttlSeconds: number;
    /** Bounds for `iat`, seconds since the epoch. */
    issuedBetween: [number, number];
  },
): Promise<VerifiedToken> {
  const { payload, protectedHeader } = await jwtVerify(token, key, {
    algorithms: ["RS256"],
    audience: FLEET_ENGINE_AUDIENCE,
    issuer: expected.account,
    subject: expected.account,
  });
  expect(protectedHeader).toEqual({ alg: "RS256", typ: "JWT", kid: expected.keyId });
  expect(Object.keys(payload).sort()).toEqual(["aud", "authorization", "exp", "iat", "iss", "sub"]);
  expect(payload.aud).toBe(FLEET_ENGINE_AUDIENCE);
  expect(payload.authorization).toEqual(expected.authorization);
  expect(Number.isInteger(payload.iat)).toBe(true);
  expect(payload.iat).toBeGreaterThanOrEqual(expected.issuedBetween[0]);
  expect(payload.iat).toBeLessThanOrEqual(expected.issuedBetween[1]);
  expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(expected.ttlSeconds);
  return { header: protectedHeader, payload };
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
