import { HttpsError, onCall, type CallableFunction } from "firebase-functions/https";
import type { StringParam } from "firebase-functions/params";
import {
  FUNCTION_MEMORY,
  concurrency,
  maxInstances,
  minInstances,
  runtimeServiceAccount,
  type CallableSettings,
} from "./config/index.js";
import { asTokenServiceError } from "./errors.js";
import type { HandlerDeps, TokenResponse } from "./handler.js";
import { once } from "./once.js";

/**
 * The callable: its options and the one place where a TokenServiceError becomes an HttpsError.
 * A factory, so that tests can serve the real firebase-functions callable with App Check on and
 * off in one process; index.ts builds the deployed one from params.
 *
 * Only firebase-functions and the params load with this module: the handler (and zod, jose,
 * firebase-admin, google-auth-library behind it) loads on the first call, keeping cold starts at
 * the cost of firebase-functions itself.
 */
const handlerModule = once(() => import("./handler.js"));

export function createTokenCallable(
  settings: CallableSettings,
  deps: () => Promise<HandlerDeps>,
  /** The entry point's region param (config/region.ts); absent = the global options' region. */
  region?: StringParam,
): CallableFunction<unknown, Promise<TokenResponse>> {
  return onCall(
    {
      // The param itself, resolved by the CLI in the emulator and at deploy: the Functions
      // emulator builds the manifest without the params files' values in process.env.
      ...(region === undefined ? {} : { region }),
      // Every instance costs money and a token is cheap to mint: keep a ceiling (MAX_INSTANCES).
      maxInstances,
      // Warm instances for shift starts (MIN_INSTANCES, default 0: none, nothing billed idle).
      minInstances,
      // One instance serves CONCURRENCY calls at once: a call mostly waits on the network.
      concurrency,
      // The token cache's bound (TOKEN_CACHE_MAX_ENTRIES) is sized to this: see config/params.ts.
      memory: FUNCTION_MEMORY,
      // Concurrency above 1 needs a whole CPU. 1 is what the CLI gives 256MiB on gen 2 anyway;
      // said here so that a global `cpu: "gcf_gen1"` (a sixth of a CPU) cannot break the deploy.
      cpu: 1,
      timeoutSeconds: 30,
      // Empty (the default) leaves the platform's default runtime account in place.
      serviceAccount: runtimeServiceAccount,
      enforceAppCheck: settings.enforceAppCheck,
      consumeAppCheckToken: settings.consumeAppCheckToken,
      cors: corsOption(settings.cors),
    },
    async (request): Promise<TokenResponse> => {
      try {
        const { handleGetFleetEngineToken } = await handlerModule();
        return await handleGetFleetEngineToken(request, await deps());
      } catch (thrown) {
        const error = asTokenServiceError(thrown);
        throw new HttpsError(error.clientCode, error.clientMessage);
      }
    },
  );
}

/**
 * Exact origins as anchored patterns: firebase-functions turns a one-element origin list into a
 * plain string, which the cors middleware would send back to every origin; a pattern is only
 * echoed to the origin it matches.
 */
function corsOption(cors: CallableSettings["cors"]): boolean | RegExp[] {
  if (typeof cors === "boolean") return cors;
  return cors.map((origin) => new RegExp(`^${origin.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
}
