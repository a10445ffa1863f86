import { defaultClientConditions, defineConfig } from "vite";
import { PORTS, PROJECT_ID, REGION } from "../scripts/lib/paths.mjs";

/**
 * The demo page: a static build in demo/dist, served by the Hosting emulator (firebase.json).
 * Where the emulators listen comes from the same table the scripts use, so the page and
 * `npm start` never disagree.
 */
export default defineConfig({
  // Read the web client from its TypeScript source: no build order between the workspaces.
  resolve: { conditions: ["fleet-engine-source", ...defaultClientConditions] },
  define: {
    __EMULATORS__: JSON.stringify({
      projectId: PROJECT_ID,
      region: REGION,
      authPort: PORTS.auth,
      functionsPort: PORTS.functions,
    }),
  },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: true },
  server: { host: "127.0.0.1", port: PORTS.hosting, strictPort: true },
  preview: { host: "127.0.0.1", port: PORTS.hosting, strictPort: true },
});
