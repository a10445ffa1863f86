// @ts-check
import { describe, expect, it } from "vitest";
import { findSecrets } from "../lib/log-hygiene.mjs";

const encode = (/** @type {unknown} */ value) =>
  Buffer.from(JSON.stringify(value)).toString("base64url");

describe("findSecrets", () => {
  it("finds signed and unsigned JWTs (Fleet Engine tokens, emulator ID tokens)", () => {
    const signed = `${encode({ alg: "RS256", typ: "JWT" })}.${encode({ iss: "a" })}.c2ln`;
    const unsigned = `${encode({ alg: "none" })}.${encode({ sub: "u" })}.`;
    expect(findSecrets(`ok\ntoken=${signed}\n{"idToken":"${unsigned}"}`)).toEqual([
      { line: 2, kind: "JWT or ID token" },
      { line: 3, kind: "JWT or ID token" },
    ]);
  });

  it("finds private keys, raw or inside a key file's JSON, and access tokens", () => {
    expect(findSecrets("-----BEGIN PRIVATE KEY-----")).toEqual([{ line: 1, kind: "private key" }]);
    expect(
      findSecrets('{"private_key": "-----BEGIN RSA PRIVATE KEY-----\\nMII"}')[0]?.kind,
    ).toMatch(/private key/);
    expect(findSecrets(`Authorization: Bearer ya29.${"a".repeat(40)}`)).toEqual([
      { line: 1, kind: "OAuth access token" },
    ]);
  });

  it("leaves ordinary log lines alone, including redacted ones", () => {
    const lines = [
      '>  {"outcome":"issued","uid":"u1","type":"driver","resourceId":"vehicle-1","exp":1795882422}',
      '>  {"resourceId":"[redacted-jwt]","outcome":"denied"}',
      'i  functions: Finished "us-central1-getFleetEngineToken" in 12ms',
      "eyJ on its own is not a token",
    ];
    expect(findSecrets(lines.join("\n"))).toEqual([]);
  });
});
