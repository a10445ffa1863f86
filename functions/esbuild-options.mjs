// @ts-check
/**
 * The esbuild settings of every bundle of the function: functions/lib/index.js (the cloned
 * codebase, build.mjs) and the kit package's lib/index.js (kit/build.mjs). One place, so that
 * the two ways of installing the function load the same way.
 */

/** Small, pure libraries: bundling them saves their file layout at every cold start. */
export const BUNDLED = ["zod", "jose"];

/**
 * The SDKs stay in node_modules: firebase-functions must be the copy that the CLI's loader reads
 * declared params from, and firebase-admin and google-auth-library are large SDKs that find their
 * own files at run time.
 */
export const EXTERNAL_SDKS = ["firebase-functions", "firebase-admin", "google-auth-library"];

/** @type {import("esbuild").BuildOptions} */
export const FUNCTION_BUNDLE = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  external: EXTERNAL_SDKS.flatMap((name) => [name, `${name}/*`]),
  // The SDKs' lazy imports too become require(): an import() from CommonJS starts Node's ESM
  // loader, on the first call of every fresh instance.
  supported: { "dynamic-import": false },
  logLevel: "warning",
};
