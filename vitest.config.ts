import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests that spawn `regc` run the bundle, as users do: build it once first.
    globalSetup: ["test/support/build-once.ts"],
    testTimeout: 60_000,
    // A file per core: much of a test's time is spent waiting for the
    // processes it starts (training runs, servers), so every core stays
    // busy; vitest's default leaves one core out.
    maxWorkers: availableParallelism(),
    // Test files run side by side, so each `regc run` they start trains on
    // one thread, as ablation trials do; the tests of threads ask for them.
    env: { REGLANG_THREADS: "1" },
  },
});
