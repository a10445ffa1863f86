import { randomBytes } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { TokenCache } from "../../../src/cache/token-cache.js";
import {
  FUNCTION_MEMORY_MIB,
  MAX_TOKEN_CACHE_ENTRIES,
  TOKEN_CACHE_MEMORY_BUDGET_BYTES,
} from "../../../src/config/index.js";

/**
 * TOKEN_CACHE_MAX_ENTRIES is bounded by what the function's memory holds (config/params.ts). This
 * fills a cache to the bound with the largest tokens the function issues and measures the heap
 * it takes, so that the bound and its arithmetic cannot drift apart.
 */

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
/** The longest account email of the default names, in a long project ID. */
const ACCOUNT = "fe-delivery-fleet-reader@my-production-fleet-1.iam.gserviceaccount.com";

/** A token shaped like IAM's: RS256 header with a 40-hex kid, the claims, a 2048-bit signature. */
function iamShapedToken(authorization: Record<string, string>): string {
  const claims = {
    iss: ACCOUNT,
    sub: ACCOUNT,
    aud: "https://fleetengine.googleapis.com/",
    iat: 1_800_000_000,
    exp: 1_800_003_600,
    authorization,
  };
  const header = { alg: "RS256", kid: randomBytes(20).toString("hex"), typ: "JWT" };
  return `${b64(header)}.${b64(claims)}.${randomBytes(256).toString("base64url")}`;
}

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe("the token cache's bound fits the function's memory", () => {
  it(`${MAX_TOKEN_CACHE_ENTRIES} of the largest tokens take at most ${TOKEN_CACHE_MEMORY_BUDGET_BYTES / 2 ** 20} MiB of ${FUNCTION_MEMORY_MIB} MiB`, async () => {
    const cache = new TokenCache({
      clock: { nowMillis: () => 1_800_000_000_000 },
      maxEntries: MAX_TOKEN_CACHE_ENTRIES,
      minRemainingFraction: 0.5,
    });
    const before = heapUsed();
    for (let i = 0; i < MAX_TOKEN_CACHE_ENTRIES; i++) {
      // Fleet Engine IDs are at most 64 characters: every entry is as large as one can be.
      const authorization = { deliveryvehicleid: `${i}-`.padEnd(64, "x") };
      const token = iamShapedToken(authorization);
      await cache.getOrSign(JSON.stringify([ACCOUNT, 3600, authorization]), () =>
        Promise.resolve({ token, issuedAt: 1_800_000_000, expiresAt: 1_800_003_600 }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    const perEntry = (heapUsed() - before) / MAX_TOKEN_CACHE_ENTRIES;
    expect(cache.size).toBe(MAX_TOKEN_CACHE_ENTRIES);
    console.log(`token cache: ${perEntry.toFixed(0)} bytes per entry`);
    // The arithmetic of config/params.ts: about 1.4 KB an entry.
    expect(perEntry).toBeGreaterThan(800);
    expect(perEntry * MAX_TOKEN_CACHE_ENTRIES).toBeLessThanOrEqual(TOKEN_CACHE_MEMORY_BUDGET_BYTES);
    // And the budget leaves most of the memory to the rest of the instance.
    expect(TOKEN_CACHE_MEMORY_BUDGET_BYTES).toBeLessThanOrEqual(
      (FUNCTION_MEMORY_MIB * 2 ** 20) / 8,
    );
  });
});
