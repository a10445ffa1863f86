import { defineConfig } from "vitest/config";

/**
 * setup:iam and doctor against fakes of gcloud and of Google's APIs on 127.0.0.1. Some tests run
 * the real `npm run ...` commands as child processes, hence the longer timeout.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    unstubEnvs: true,
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
