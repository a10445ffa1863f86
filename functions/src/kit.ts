// The region param first: it replaces the wrapper's FUNCTION_DEFAULT_REGION and stays the first
// question of the installer (config/region.ts).
import { region } from "./entry/kit-region.js";
import type { CallableFunction } from "firebase-functions/https";
import { createTokenCallable } from "./callable.js";
import { callableSettings } from "./config/index.js";
import { lazyRuntimeDeps } from "./entry/runtime-deps.js";
import type { TokenResponse } from "./token/response.js";

/**
 * The function kit (npm package fleet-engine-firebase-tokens): the same callable as the cloned
 * codebase, with the kit's region param. The CLI serves it as
 * `kit-<instance>-getFleetEngineToken`, with the params of that instance's config directory.
 */
export const getFleetEngineToken: CallableFunction<
  unknown,
  Promise<TokenResponse>
> = createTokenCallable(callableSettings(), lazyRuntimeDeps("kit"), region);
