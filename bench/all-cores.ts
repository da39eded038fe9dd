// reglang at all cores against reglang on one thread: the same generated
// code and data on the wasm backend, its threaded build against its
// single-threaded one. A thread count is a backend of its own (switching
// replaces the backend and its tensors), so each side is timed in blocks
// that alternate, each block with the plan built afresh, and each figure is
// the median of all its rounds.
import { availableParallelism } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { selectBackend } from "../src/runtime/backend/select.js";
import { MAX_WASM_THREADS } from "../src/runtime/backend/threaded-wasm.js";
import type * as Runtime from "../src/runtime/index.js";
import { median } from "./stats.js";
import { type Programs, trainerRound, withTrainRows } from "./training.js";

const TARGET_RATIO = 1.6;
/** Blocks per side, alternating; rounds timed per block after one warm-up round. */
const BLOCKS = 2;
const ROUNDS_PER_BLOCK = 3;
const ROWS = 640;

interface Model {
  label: string;
  fileName: string;
  text: string;
}

export async function benchAllCores(root: string, programs: () => Programs): Promise<void> {
  const cores = Math.min(availableParallelism(), MAX_WASM_THREADS);
  const textA = readFileSync(join(root, "examples/a-mlp-dropout-maxnorm.reg"), "utf8");
  // Example B's conv net without its techniques, as in the PyTorch rows.
  const convOnly = readFileSync(join(root, "examples/b-convnet-adversarial-tangent.reg"), "utf8").replace(/^regularize[^\n]*\{[\s\S]*?^\}\n?/m, "");
  const models: Model[] = [
    { label: "example A MLP", fileName: "a-mlp-dropout-maxnorm.reg", text: textA },
    { label: "example B conv net", fileName: "b-conv-only.reg", text: convOnly },
  ];
  console.log(`  reglang, all cores (${cores} threads) vs one thread, generated code on wasm (${BLOCKS} alternating blocks of ${ROUNDS_PER_BLOCK} rounds each):`);
  if (cores === 1) {
    console.log("    skipped: this machine has one core");
    return;
  }
  for (const model of models) {
    const rates = new Map<number, number[]>([
      [1, []],
      [cores, []],
    ]);
    for (let block = 0; block < BLOCKS; block++) {
      for (const threads of block % 2 ? [cores, 1] : [1, cores]) rates.get(threads)!.push(...(await timeBlock(programs(), model, threads)));
    }
    const one = median(rates.get(1)!);
    const all = median(rates.get(cores)!);
    console.log(`    ${model.label.padEnd(26)}  1 thread ${fmt(one)}  ${cores} threads ${fmt(all)}  ratio ${(all / one).toFixed(2)}×`);
  }
  console.log(`  (aim for all cores ≥ ${TARGET_RATIO}× one thread)`);
  await selectBackend("wasm", 1);
}

/** Samples/s of each timed round of one block on `threads` threads. */
async function timeBlock(programs: Programs, model: Model, threads: number): Promise<number[]> {
  await selectBackend("wasm", threads);
  const plan: Runtime.TrainingPlan = withTrainRows(await programs.plan(model.fileName, model.text), ROWS);
  const round = trainerRound(programs.runtime, plan);
  await round();
  const rates: number[] = [];
  for (let i = 0; i < ROUNDS_PER_BLOCK; i++) {
    const started = performance.now();
    const seen = await round();
    rates.push((seen * 1000) / (performance.now() - started));
  }
  return rates;
}

function fmt(samplesPerSecond: number): string {
  return Math.round(samplesPerSecond).toLocaleString("en").padStart(6);
}
