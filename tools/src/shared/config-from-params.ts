import type { Installation } from "./firebase-project.js";
import { ALL_PARAMS, loadConfig, type Config } from "./functions-code.js";

/** Every param the installation declares: its own region param, and the rest. */
export function paramNames(installation: Installation): string[] {
  return [installation.regionParam, ...ALL_PARAMS.map((param) => param.name)];
}

/**
 * The function's own loadConfig on exactly `values` (the params a deploy reads), whatever this
 * shell has set: throws its misconfigured TokenServiceError, naming the param.
 */
export function configFromParams(
  values: Readonly<Record<string, string>>,
  installation: Installation,
): Config {
  const names = paramNames(installation);
  const saved = new Map(names.map((name) => [name, process.env[name]]));
  try {
    for (const name of names) {
      const value = values[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    return loadConfig(installation.kind);
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
