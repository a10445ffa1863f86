import { defineRegionParam } from "../config/region.js";

/**
 * FUNCTION_DEFAULT_REGION, the region param of a function kit instance: the name the CLI's
 * wrapper template declares, declared again here with the kit's description and select (see
 * config/region.ts). Imported first by kit.ts, so that it stays the first question.
 */
export const region = defineRegionParam("kit");
