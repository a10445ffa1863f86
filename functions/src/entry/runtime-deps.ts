import type { InstallKind } from "../config/region.js";
import type { HandlerDeps } from "../handler.js";
import { once } from "../once.js";

/**
 * The per-instance dependencies of an entry point, built on its first call, once: module load
 * does no I/O and loads nothing heavy (the SDKs behind the runtime load with it).
 */
export function lazyRuntimeDeps(kind: InstallKind): () => Promise<HandlerDeps> {
  return once(async () => {
    const [{ createRuntimeDeps }, logger] = await Promise.all([
      import("../runtime.js"),
      import("firebase-functions/logger"),
    ]);
    return createRuntimeDeps(logger, { install: kind });
  });
}
