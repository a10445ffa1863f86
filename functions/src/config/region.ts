import { defineString, select, type StringParam } from "firebase-functions/params";
import type { SupportedRegion } from "firebase-functions/v2/options";

/**
 * The callable's one region is a param, and which param depends on how the function is
 * installed:
 *
 * - `codebase`: a clone of this repository deploys functions/ as the codebase
 *   fleet-engine-tokens; the region is REGION, as it always was.
 * - `kit`: a function kit instance (`firebase functions:kits:install`). The CLI's wrapper
 *   template declares FUNCTION_DEFAULT_REGION and hands it to setGlobalOptions. The kit declares
 *   the same name instead of REGION: firebase-functions keeps one param per name (the last
 *   declaration wins, and the kit's module loads after the wrapper's line), so the installer asks
 *   ONE region question, with this description and select, and the wrapper's global option and
 *   the callable follow the same answer.
 */
export const REGION_PARAM_NAMES = {
  codebase: "REGION",
  kit: "FUNCTION_DEFAULT_REGION",
} as const;

/** How this copy of the function is installed: a cloned codebase, or a function kit instance. */
export type InstallKind = keyof typeof REGION_PARAM_NAMES;

export const DEFAULT_REGION = "us-central1";

/**
 * The regions the installer offers: firebase-functions' SupportedRegion list, the default first.
 * Another region can still be written into the params file by hand.
 */
export const OFFERED_REGIONS = [
  "us-central1",
  "us-east1",
  "us-east4",
  "us-west1",
  "us-west2",
  "us-west3",
  "us-west4",
  "northamerica-northeast1",
  "southamerica-east1",
  "europe-north1",
  "europe-central2",
  "europe-west1",
  "europe-west2",
  "europe-west3",
  "europe-west4",
  "europe-west6",
  "asia-east1",
  "asia-east2",
  "asia-northeast1",
  "asia-northeast2",
  "asia-northeast3",
  "asia-south1",
  "asia-southeast1",
  "asia-southeast2",
  "australia-southeast1",
] as const satisfies readonly SupportedRegion[];

/** Declares the region param of `kind`; call once, at module load of that kind's entry point. */
export function defineRegionParam(kind: InstallKind): StringParam {
  return defineString(REGION_PARAM_NAMES[kind], {
    default: DEFAULT_REGION,
    description:
      "The one region the getFleetEngineToken callable is deployed in (e.g. europe-west1, near " +
      "your riders). Apps must call it there: getFunctions(app, region)." +
      (kind === "kit" ? " Also the default region of every function of this kit instance." : ""),
    input: select([...OFFERED_REGIONS]),
  });
}
