import { defineConfig } from "vitest/config";

/**
 * `unit`: the Kotlin blocks of docs/clients.md extracted and compiled with kotlinc (no
 * emulators). `integration`: their token cache run on the JVM inside the ONE
 * `firebase emulators:exec` of `npm run test:integration`. Both use one compilation per run
 * (src/kotlin.ts caches it by the hash of everything compiled).
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
