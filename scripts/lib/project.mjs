// @ts-check
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, whatever the current directory. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The local stack's project: a `demo-` project never reaches real Google services. */
export const PROJECT_ID = "demo-fleet-engine";

/** The deploy codebase of the function (firebase.json); every deploy command names it. */
export const CODEBASE = "fleet-engine-tokens";
