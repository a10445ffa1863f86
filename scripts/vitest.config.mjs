import { defineConfig } from "vitest/config";

/** Tests of the repository scripts (plain Node, no emulators). */
export default defineConfig({
  test: {
    name: "scripts",
    root: import.meta.dirname,
    include: ["test/**/*.test.mjs"],
  },
});
