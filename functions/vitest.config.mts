import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` runs in-process with injected fakes; `integration` runs inside ONE
 * `firebase emulators:exec` (scripts/emulators-exec.mjs) against the real Auth, Firestore and
 * Functions emulators, so it is only ever started through `npm run test:integration`.
 */
export default defineConfig({
  test: {
    unstubEnvs: true,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          // One emulator stack is shared: run files one after another, never in parallel.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          globalSetup: ["test/support/integration-setup.ts"],
        },
      },
    ],
  },
});
