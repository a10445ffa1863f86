// The region param first: the CLI asks for params in the order they are declared.
import { region } from "./entry/codebase-region.js";
import { createTokenCallable } from "./callable.js";
import { callableSettings } from "./config/index.js";
import { lazyRuntimeDeps } from "./entry/runtime-deps.js";

/**
 * The cloned codebase (functions/, deployed as fleet-engine-tokens). Wiring only: the callable
 * from params, its dependencies built on the first call.
 */
export const getFleetEngineToken = createTokenCallable(
  callableSettings(),
  lazyRuntimeDeps("codebase"),
  region,
);
