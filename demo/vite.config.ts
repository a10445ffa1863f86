import { readdirSync } from "node:fs";
import path from "node:path";
import { defaultClientConditions, defineConfig } from "vite";
import { ENABLED_TYPES_PARAM, emulatorParams, TOKEN_TYPES } from "../scripts/lib/params.mjs";
import { PORTS, PROJECT_ID, emulatorRegion } from "../scripts/lib/paths.mjs";

/**
 * ENABLED_TOKEN_TYPES as the emulator reads it, its default (every type but the opt-in ones)
 * when unset; an unreadable value is the function's problem.
 */
function enabledTypes(): string[] {
  const raw = emulatorParams()[ENABLED_TYPES_PARAM.name] ?? ENABLED_TYPES_PARAM.default;
  const listed = raw.split(",").map((type) => type.trim());
  return TOKEN_TYPES.filter((type) => listed.includes(type));
}

/**
 * The page uses its own firebase (13), while the repository root keeps 12 for
 * @firebase/rules-unit-testing, and npm shares the @firebase/* packages the two have in common at
 * the root. Every import of firebase or @firebase/* (the web client's too) resolves from this
 * folder, so the page bundles ONE copy of each, firebase 13's: two copies of @firebase/app would
 * each keep their own registry, and getFunctions(app) of one would not know the app of the other.
 */
const FIREBASE_PACKAGES = [
  "firebase",
  ...readdirSync(path.join(import.meta.dirname, "..", "node_modules", "@firebase")).map(
    (name) => `@firebase/${name}`,
  ),
];

/**
 * The demo page: a static build in demo/dist, served by the Hosting emulator (firebase.json).
 * Where the emulators listen comes from the same table the scripts use, and the callable's region
 * from the REGION param the Functions emulator reads (functions/.env, .env.local), so the page
 * and `npm start` never disagree. `npm start` builds the page, so a changed REGION is followed.
 */
export default defineConfig({
  // Read the web client from its TypeScript source: no build order between the workspaces.
  resolve: {
    conditions: ["fleet-engine-source", ...defaultClientConditions],
    dedupe: FIREBASE_PACKAGES,
  },
  define: {
    __EMULATORS__: JSON.stringify({
      projectId: PROJECT_ID,
      region: emulatorRegion(),
      enabledTypes: enabledTypes(),
      authPort: PORTS.auth,
      functionsPort: PORTS.functions,
    }),
  },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: true },
  // `npm run dev -w demo` serves the page with hot reload next to a running `npm start`, whose
  // Hosting emulator already has PORTS.hosting.
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
});
