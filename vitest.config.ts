import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests that spawn `regc` run the bundle, as users do: build it once first.
    globalSetup: ["test/support/build-once.ts"],
    testTimeout: 60_000,
  },
});
