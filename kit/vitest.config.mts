import { defineConfig } from "vitest/config";

/**
 * `unit`: what the package ships (npm pack's file list, the bundle, its declarations, its
 * command line), in this process or fresh Node processes. `install`: the package as a user
 * installs it, with firebase-tools 15's own kit installer from a local npm registry into an app
 * with a function of its own, then that app's emulators and deploy plan; its own step of
 * `npm test` (npm run test:kit), outside the repository's emulator run.
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 120_000 },
      },
      {
        extends: true,
        test: {
          name: "install",
          include: ["test/install/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
