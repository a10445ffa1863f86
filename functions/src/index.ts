import * as logger from "firebase-functions/logger";
import { createTokenCallable } from "./callable.js";
import { callableSettings } from "./config.js";
import type { HandlerDeps } from "./handler.js";
import { createRuntimeDeps } from "./runtime.js";

/**
 * Wiring only. Module load does no I/O: dependencies are built on the first call, once per
 * instance, and the SDKs behind them load lazily (runtime.ts).
 */

let deps: HandlerDeps | undefined;

export const getFleetEngineToken = createTokenCallable(
  callableSettings(),
  () => (deps ??= createRuntimeDeps(logger)),
);
