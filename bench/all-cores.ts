// reglang at all cores against reglang on one thread: the same spec run by
// `regc run` (the program users run, in a process of its own) on the wasm
// backend, four ways: one thread; the default (no `--threads`: one thread
// or all of them, whichever the first steps time faster); all cores as
// threads of one backend (XNNPACK's pool); all cores as data-parallel
// replicas, one thread each (`--replicas`). A fifth row is the ceiling any of them can
// reach: as many independent one-thread runs side by side as there are
// cores, their rates added, which is what the cores give to work that shares
// nothing. Each figure is the train split's rows over an epoch's training
// seconds (history.json; validation and data loading are outside them), the
// median over the epochs after the first three of every run; runs of the five
// kinds alternate, in blocks, so all see the same machine.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_WASM_THREADS } from "../src/runtime/backend/threaded-wasm.js";
import { benchHostCapacity } from "./host-capacity.js";
import { benchKernelScaling } from "./kernel-scaling.js";
import { runEpochRates, writeShortSpec, type RunWay } from "./regc-run-rates.js";
import { median } from "./stats.js";

const TARGET_RATIO = 1.6;
/**
 * Runs per way, alternating; epochs per run, the first few a warm-up: an
 * epoch here is 20 steps, and a run's epochs speed up over the first
 * three or so as V8 optimizes its code.
 */
const BLOCKS = 2;
const EPOCHS = 8;
const WARM_UP_EPOCHS = 3;
/** Train rows an epoch (A: 20 steps of 32; B: 10 steps of 64); val and test kept small, as they are not timed. */
const TRAIN_ROWS = 640;

interface Way extends RunWay {
  /** Runs at once, each with `threads` and `replicas`; their rates add up. */
  sideBySide: number;
}

export async function benchAllCores(root: string): Promise<void> {
  const cores = Math.min(availableParallelism(), MAX_WASM_THREADS);
  console.log(`  reglang, all cores (${cores}) vs one thread, \`regc run\` on wasm, samples/s (median of ${BLOCKS} alternating runs × ${EPOCHS - WARM_UP_EPOCHS} timed epochs each):`);
  if (cores === 1) {
    console.log("    skipped: this machine has one core");
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), "reglang-bench-all-cores-"));
  try {
    const textA = readFileSync(join(root, "examples/a-mlp-dropout-maxnorm.reg"), "utf8");
    // Example B's conv net without its techniques, as in the PyTorch rows.
    const convOnly = readFileSync(join(root, "examples/b-convnet-adversarial-tangent.reg"), "utf8").replace(/^regularize[^\n]*\{[\s\S]*?^\}\n?/m, "");
    const specs = [
      { label: "example A MLP", path: writeShortSpec(folder, "a-mlp.reg", textA, TRAIN_ROWS) },
      { label: "example B conv net", path: writeShortSpec(folder, "b-conv-only.reg", convOnly, TRAIN_ROWS) },
    ];
    const ways: Way[] = [
      { label: "1 thread", threads: 1, replicas: 1, sideBySide: 1 },
      { label: "default", sideBySide: 1 },
      { label: `${cores} threads`, threads: cores, replicas: 1, sideBySide: 1 },
      { label: `${cores} replicas`, threads: cores, replicas: cores, sideBySide: 1 },
      { label: `ceiling: ${cores} runs side by side`, threads: 1, replicas: 1, sideBySide: cores },
    ];
    for (const spec of specs) {
      const rates = ways.map(() => [] as number[]);
      for (let block = 0; block < BLOCKS; block++) {
        const order = block % 2 ? [...ways.keys()].reverse() : [...ways.keys()];
        for (const index of order) rates[index]!.push(...(await epochRates(root, join(folder, `way-${index}`), spec.path, ways[index]!)));
      }
      const [one, ...others] = rates.map(median) as [number, ...number[]];
      const cells = others.map((rate, index) => `${ways[index + 1]!.label} ${fmt(rate)} (${(rate / one).toFixed(2)}×)`);
      console.log(`    ${spec.label.padEnd(20)}  1 thread ${fmt(one)}  ${cells.join("  ")}`);
    }
    await benchKernelScaling(cores);
    await benchHostCapacity(cores);
    console.log(`  (aim for all cores ≥ ${TARGET_RATIO}× one thread)`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Samples/s of each epoch after the warm-up of one `regc run`, or of several at once, added. */
async function epochRates(root: string, runsPrefix: string, spec: string, way: Way): Promise<number[]> {
  const runs = await Promise.all(
    Array.from({ length: way.sideBySide }, (_, index) => runEpochRates(root, `${runsPrefix}-${index}`, spec, way, EPOCHS, TRAIN_ROWS, WARM_UP_EPOCHS)),
  );
  return runs[0]!.map((_, epoch) => runs.reduce((total, rates) => total + rates[epoch]!, 0));
}

function fmt(samplesPerSecond: number): string {
  return Math.round(samplesPerSecond).toLocaleString("en").padStart(6);
}
