import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_WASM_THREADS } from "../../src/runtime/backend/threaded-wasm.js";
import type { FinalMetrics, History } from "../../src/runtime/run/history.js";
import { digitsSpec } from "../support/digits-spec.js";
import { onlyRunFolder, readJson, ROOT, startRegc } from "./support.js";

/**
 * `regc run` with no thread count: the first steps time one thread against
 * all of them, and the faster count trains on. The choice never changes
 * the numbers, which equal a one-thread run's bit for bit.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-default-threads-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// The suite fixes REGLANG_THREADS for every test; here the count is left to regc.
const suiteThreads = process.env["REGLANG_THREADS"];
delete process.env["REGLANG_THREADS"];
afterAll(() => {
  if (suiteThreads !== undefined) process.env["REGLANG_THREADS"] = suiteThreads;
});

const cores = Math.min(availableParallelism(), MAX_WASM_THREADS);
// 100 steps an epoch of a few milliseconds each: the warm-up (half a second of steps) and the timing end within the first epochs.
writeFileSync(join(scratch, "mlp.reg"), digitsSpec({ split: { train: 1600, val: 64, test: 64 }, dropout: 0.3, epochs: 6, batch: 16 }));

async function train(name: string, flags: string[]): Promise<{ history: History; metrics: FinalMetrics; stderr: string }> {
  const runs = join(scratch, name);
  const run = await startRegc(["run", "mlp.reg", "--backend", "wasm", ...flags, "--runs", runs], scratch);
  expect(run.code, run.stderr).toBe(0);
  const folder = onlyRunFolder(runs);
  return { history: readJson<History>(join(folder, "history.json")), metrics: readJson<FinalMetrics>(join(folder, "metrics.json")), stderr: run.stderr };
}

const curve = (history: History) => history.epochs.map(({ seconds: _seconds, ...numbers }) => numbers);

describe.skipIf(cores < 2)("regc run's default thread count", () => {
  it("is timed over the first steps, named with both times, recorded, and trains the numbers one thread trains", async () => {
    const timed = await train("default", []);
    expect(timed.stderr).toContain(`wasm backend (1 or ${cores} threads, whichever the first steps time faster)`);
    // A busy machine may have the count timed again and changed: the history holds the last choice.
    const choices = [...timed.stderr.matchAll(/training on (\d+) threads?: the median step took [\d.]+ ms on (\d+) threads, [\d.]+ ms on 1 thread\n/g)];
    expect(choices.length, timed.stderr).toBeGreaterThan(0);
    for (const [, chosen, most] of choices) {
      expect(Number(most)).toBe(cores);
      expect([1, cores]).toContain(Number(chosen));
    }
    expect(timed.history.threads).toBe(Number(choices.at(-1)![1]));

    const single = await train("one", ["--threads", "1"]);
    expect(single.stderr).toContain("wasm backend (1 thread)");
    expect(single.stderr).not.toContain("median step");
    expect(curve(timed.history)).toEqual(curve(single.history));
    expect(timed.metrics.splits).toEqual(single.metrics.splits);
  }, 120_000);

  it("is not timed where a count is asked for", async () => {
    const fixed = await train("fixed", ["--threads", String(cores)]);
    expect(fixed.stderr).toContain(`wasm backend (${cores} threads)`);
    expect(fixed.stderr).not.toContain("median step");
    expect(fixed.history.threads).toBe(cores);
  }, 120_000);
});
