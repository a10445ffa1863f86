import { defineConfig } from "vite";

/** One file for Node: the app, the package and the firebase web SDK bundled by Vite. */
export default defineConfig({
  build: { ssr: "src/main.ts", outDir: "dist", target: "node22", emptyOutDir: true },
  ssr: { noExternal: true, target: "node" },
});
