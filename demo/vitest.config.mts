import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

/**
 * `unit`: the page's logic in Node (formatting, the token watch with fake timers, the demo
 * accounts against the seed). `browser`: headless Chromium (Debian's, driven by
 * playwright-core) on the page the Hosting emulator serves; it runs inside the ONE
 * `firebase emulators:exec` of `npm run test:integration`.
 */
export default defineConfig({
  // The web client from its TypeScript source, as in the page's build: unit tests need no build.
  ssr: { resolve: { conditions: ["fleet-engine-source", ...defaultServerConditions] } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
