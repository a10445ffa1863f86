import * as logger from "firebase-functions/logger";
import { HttpsError, onCall } from "firebase-functions/https";
import { consumeAppCheckToken, enforceAppCheck, runtimeServiceAccount } from "./config.js";
import { asTokenServiceError } from "./errors.js";
import { handleGetFleetEngineToken, type HandlerDeps, type TokenResponse } from "./handler.js";
import { createRuntimeDeps } from "./runtime.js";

/**
 * Wiring only: the callable's options, the per-instance dependencies, and the one place where a
 * TokenServiceError becomes an HttpsError.
 */

let deps: HandlerDeps | undefined;

export const getFleetEngineToken = onCall(
  {
    region: "us-central1",
    // Tokens are cheap to mint but every instance costs money: keep a ceiling by default.
    maxInstances: 10,
    memory: "256MiB",
    timeoutSeconds: 30,
    enforceAppCheck,
    consumeAppCheckToken,
    // Empty (the default) leaves the platform's default runtime account in place.
    serviceAccount: runtimeServiceAccount,
  },
  async (request): Promise<TokenResponse> => {
    deps ??= createRuntimeDeps(logger);
    try {
      return await handleGetFleetEngineToken(request, deps);
    } catch (thrown) {
      const error = asTokenServiceError(thrown);
      throw new HttpsError(error.clientCode, error.clientMessage);
    }
  },
);
