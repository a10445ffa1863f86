import { consumeAppCheckToken, corsOrigins, enforceAppCheck } from "./params.js";

/**
 * App Check and CORS are options of the callable itself, so they are read when the function is
 * loaded, not on the first call; the CLI puts their values in the environment from the params
 * files, at deploy and in the emulator.
 */

/** Options of the callable itself, fixed when the function loads. */
export interface CallableSettings {
  readonly enforceAppCheck: boolean;
  readonly consumeAppCheckToken: boolean;
  readonly cors: boolean | string[];
}

const ORIGIN = /^https?:\/\/[^/\s,]+$/;

/**
 * `*` (or nothing) allows any origin, like a callable's default; otherwise exact origins, or
 * undefined when any of them is not an origin.
 */
export function parseCorsOrigins(raw: string | undefined): true | string[] | undefined {
  const value = raw?.trim() ?? "*";
  if (value === "*" || value === "") return true;
  const origins = value.split(",").map((origin) => origin.trim().replace(/\/$/, ""));
  return origins.every((origin) => ORIGIN.test(origin)) ? origins : undefined;
}

/**
 * Reads the load-time options straight from the environment (calling `.value()` during the CLI's
 * deploy-time load only makes firebase-functions warn). Never throws, and fails closed: App Check
 * stays on unless the param is exactly "false", and unreadable CORS origins allow no browser
 * origin. loadConfig() reports such values on every call, naming the param.
 */
export function callableSettings(env: NodeJS.ProcessEnv = process.env): CallableSettings {
  return {
    enforceAppCheck: env[enforceAppCheck.name]?.trim() !== "false",
    consumeAppCheckToken: env[consumeAppCheckToken.name]?.trim() === "true",
    cors: parseCorsOrigins(env[corsOrigins.name]) ?? false,
  };
}
