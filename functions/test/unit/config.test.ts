import { describe, expect, it, vi } from "vitest";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  ALL_PARAMS,
  REGION_PARAM_NAMES,
  callableSettings,
  loadConfig,
} from "../../src/config/index.js";
import { ErrorCode } from "../../src/errors.js";
import { configRefusal } from "../support/failures.js";

describe("functions/.env", () => {
  it("gives every declared param a value, so neither deploy nor the emulator ever prompts", () => {
    const text = readFileSync(path.resolve(__dirname, "..", "..", ".env"), "utf8");
    const keys = text
      .split("\n")
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.slice(0, line.indexOf("=")));
    expect(keys.sort()).toEqual(
      [...ALL_PARAMS.map((param) => param.name), REGION_PARAM_NAMES.codebase].sort(),
    );
  });
});

describe("loadConfig", () => {
  it("falls back to the documented defaults when no param is set", () => {
    for (const name of [
      "TOKEN_TTL_SECONDS",
      "DRIVERS_COLLECTION",
      "TRIPS_COLLECTION",
      "SHIPMENTS_COLLECTION",
      "TASKS_COLLECTION",
      "DRIVER_SIGNER_ACCOUNT",
    ]) {
      vi.stubEnv(name, undefined);
    }
    const config = loadConfig();
    expect(config.ttlSeconds).toBe(3600);
    expect(config.collections).toEqual({
      drivers: "drivers",
      trips: "trips",
      shipments: "shipments",
      tasks: "tasks",
    });
    expect(config.signerAccounts.driver).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads every param from the environment the CLI writes", () => {
    vi.stubEnv("TOKEN_TTL_SECONDS", "900");
    vi.stubEnv("DRIVERS_COLLECTION", "fleet_drivers");
    vi.stubEnv("TRIPS_COLLECTION", "rides");
    vi.stubEnv("SHIPMENTS_COLLECTION", "parcels");
    vi.stubEnv("TASKS_COLLECTION", "stops");
    vi.stubEnv("DRIVER_SIGNER_ACCOUNT", "fe-driver@p-1.iam.gserviceaccount.com");
    vi.stubEnv("CONSUMER_SIGNER_ACCOUNT", "");
    vi.stubEnv(
      "TRUSTED_DELIVERY_DRIVER_SIGNER_ACCOUNT",
      "fe-trusted-delivery-driver@p-1.iam.gserviceaccount.com",
    );
    const config = loadConfig();
    expect(config.ttlSeconds).toBe(900);
    expect(config.collections).toEqual({
      drivers: "fleet_drivers",
      trips: "rides",
      shipments: "parcels",
      tasks: "stops",
    });
    expect(config.signerAccounts.driver).toBe("fe-driver@p-1.iam.gserviceaccount.com");
    expect(config.signerAccounts.trustedDeliveryDriver).toBe(
      "fe-trusted-delivery-driver@p-1.iam.gserviceaccount.com",
    );
    expect(config.signerAccounts.consumer).toBeUndefined();
  });

  it.each([
    ["TOKEN_TTL_SECONDS", "299"],
    ["TOKEN_TTL_SECONDS", "3601"],
    ["TOKEN_TTL_SECONDS", "1h"],
    ["TOKEN_TTL_SECONDS", ""],
    ["TRIPS_COLLECTION", "trips/x"],
    ["TRIPS_COLLECTION", "__trips__"],
    ["DRIVERS_COLLECTION", ""],
    ["TASKS_COLLECTION", "tasks/x"],
    ["TRUSTED_DELIVERY_DRIVER_SIGNER_ACCOUNT", "driver@example.com"],
    ["FLEET_READER_SIGNER_ACCOUNT", "not-an-email"],
    ["CONSUMER_SIGNER_ACCOUNT", "someone@gmail.com"],
    ["CHECK_REVOKED_TOKENS", "yes"],
    ["TOKEN_CACHE_MAX_ENTRIES", "-1"],
    ["TOKEN_CACHE_MAX_ENTRIES", "2000000"],
    ["TOKEN_CACHE_MAX_ENTRIES", "1000000"],
    ["TOKEN_CACHE_MAX_ENTRIES", "20001"],
    ["TOKEN_CACHE_MIN_REMAINING_PERCENT", "0"],
    ["TOKEN_CACHE_MIN_REMAINING_PERCENT", "101"],
    ["ENFORCE_APP_CHECK", "off"],
    ["CONSUME_APP_CHECK_TOKEN", "1"],
    ["CORS_ORIGINS", "example.com"],
    ["CORS_ORIGINS", "https://a.example.com/path"],
  ])("refuses %s=%j as misconfiguration naming the param", (name, value) => {
    vi.stubEnv(name, value);
    const error = configRefusal();
    expect(error.code).toBe(ErrorCode.Misconfigured);
    expect(error.clientCode).toBe("failed-precondition");
    expect(error.details).toMatchObject({ param: name });
  });

  it("accepts the TTL bounds themselves", () => {
    vi.stubEnv("TOKEN_TTL_SECONDS", "300");
    expect(loadConfig().ttlSeconds).toBe(300);
    vi.stubEnv("TOKEN_TTL_SECONDS", "3600");
    expect(loadConfig().ttlSeconds).toBe(3600);
  });

  it("reads the cache settings, reuse at half a lifetime by default", () => {
    vi.stubEnv("TOKEN_CACHE_MAX_ENTRIES", undefined);
    vi.stubEnv("TOKEN_CACHE_MIN_REMAINING_PERCENT", undefined);
    expect(loadConfig().cache).toEqual({ maxEntries: 10_000, minRemainingFraction: 0.5 });
    vi.stubEnv("TOKEN_CACHE_MAX_ENTRIES", "0");
    vi.stubEnv("TOKEN_CACHE_MIN_REMAINING_PERCENT", "75");
    expect(loadConfig().cache).toEqual({ maxEntries: 0, minRemainingFraction: 0.75 });
    vi.stubEnv("TOKEN_CACHE_MAX_ENTRIES", "20000");
    expect(loadConfig().cache.maxEntries).toBe(20_000);
  });

  it("checks revoked tokens unless told not to", () => {
    vi.stubEnv("CHECK_REVOKED_TOKENS", undefined);
    expect(loadConfig().checkRevokedTokens).toBe(true);
    vi.stubEnv("CHECK_REVOKED_TOKENS", "false");
    expect(loadConfig().checkRevokedTokens).toBe(false);
  });
});

describe("callableSettings", () => {
  it("enforces App Check, without replay protection, for any origin by default", () => {
    expect(callableSettings({})).toEqual({
      enforceAppCheck: true,
      consumeAppCheckToken: false,
      cors: true,
    });
  });

  it("reads the params the CLI put in the environment", () => {
    expect(
      callableSettings({
        ENFORCE_APP_CHECK: "false",
        CONSUME_APP_CHECK_TOKEN: "true",
        CORS_ORIGINS: "https://ops.example.com, http://localhost:5173/",
      }),
    ).toEqual({
      enforceAppCheck: false,
      consumeAppCheckToken: true,
      cors: ["https://ops.example.com", "http://localhost:5173"],
    });
  });

  it("fails closed on unreadable values: App Check stays on, no browser origin is allowed", () => {
    expect(
      callableSettings({
        ENFORCE_APP_CHECK: "no",
        CONSUME_APP_CHECK_TOKEN: "yes",
        CORS_ORIGINS: "ops.example.com",
      }),
    ).toEqual({ enforceAppCheck: true, consumeAppCheckToken: false, cors: false });
  });
});
