import { defineRegionParam } from "../config/region.js";

/**
 * REGION, the region param of the cloned codebase. Its own module, imported first by index.ts,
 * so that it is declared before every other param: the CLI asks for params in that order.
 */
export const region = defineRegionParam("codebase");
