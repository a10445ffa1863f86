import { createTokenCallable } from "./callable.js";
import { callableSettings } from "./config/index.js";
import { once } from "./once.js";

/**
 * Wiring only. Module load does no I/O and loads nothing heavy: the runtime dependencies (and
 * the SDKs behind them) are built on the first call, once per instance.
 */
export const getFleetEngineToken = createTokenCallable(
  callableSettings(),
  once(async () => {
    const [{ createRuntimeDeps }, logger] = await Promise.all([
      import("./runtime.js"),
      import("firebase-functions/logger"),
    ]);
    return createRuntimeDeps(logger);
  }),
);
