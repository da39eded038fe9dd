import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests that spawn `regc` run the bundle, as users do: build it once first.
    globalSetup: ["test/support/build-once.ts"],
    testTimeout: 60_000,
    // Test files run side by side, so each `regc run` they start trains on
    // one thread, as ablation trials do; the tests of threads ask for them.
    env: { REGLANG_THREADS: "1" },
  },
});
