import { defineConfig } from "vitest/config";

/**
 * `unit` runs in-process: the cache and fetcher with a fake clock, and the real firebase SDK
 * against a fake callable server on 127.0.0.1. `integration` runs inside the ONE
 * `firebase emulators:exec` of `npm run test:integration`, against the real emulators.
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
