// reglang at all cores against reglang on one thread: the same spec run by
// `regc run` (the program users run, in a process of its own) on the wasm
// backend, three ways: one thread; all cores as threads of one backend
// (XNNPACK's pool, the default); all cores as data-parallel replicas, one
// thread each (`--replicas`). A fourth row is the ceiling any of them can
// reach: as many independent one-thread runs side by side as there are
// cores, their rates added, which is what the cores give to work that shares
// nothing. Each figure is the train split's rows over an epoch's training
// seconds (history.json; validation and data loading are outside them), the
// median over the epochs after the first of every run; runs of the four
// kinds alternate, in blocks, so all see the same machine.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_WASM_THREADS } from "../src/runtime/backend/threaded-wasm.js";
import type { History } from "../src/runtime/run/history.js";
import { median } from "./stats.js";

const TARGET_RATIO = 1.6;
/** Runs per way, alternating; epochs per run, the first a warm-up. */
const BLOCKS = 2;
const EPOCHS = 4;
/** Train rows an epoch (A: 20 steps of 32; B: 10 steps of 64); val and test kept small, as they are not timed. */
const TRAIN_ROWS = 640;
const SPLIT = `split  train: ${TRAIN_ROWS}, val: 64, test: 64`;

interface Way {
  label: string;
  threads: number;
  replicas: number;
  /** Runs at once, each with `threads` and `replicas`; their rates add up. */
  sideBySide: number;
}

export async function benchAllCores(root: string): Promise<void> {
  const cores = Math.min(availableParallelism(), MAX_WASM_THREADS);
  console.log(`  reglang, all cores (${cores}) vs one thread, \`regc run\` on wasm, samples/s (median of ${BLOCKS} alternating runs × ${EPOCHS - 1} timed epochs each):`);
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
      { label: "example A MLP", path: writeSpec(folder, "a-mlp.reg", textA) },
      { label: "example B conv net", path: writeSpec(folder, "b-conv-only.reg", convOnly) },
    ];
    const ways: Way[] = [
      { label: "1 thread", threads: 1, replicas: 1, sideBySide: 1 },
      { label: `${cores} threads`, threads: cores, replicas: 1, sideBySide: 1 },
      { label: `${cores} replicas`, threads: cores, replicas: cores, sideBySide: 1 },
      { label: `ceiling: ${cores} runs side by side`, threads: 1, replicas: 1, sideBySide: cores },
    ];
    for (const spec of specs) {
      const rates = ways.map(() => [] as number[]);
      for (let block = 0; block < BLOCKS; block++) {
        const order = block % 2 ? [...ways.keys()].reverse() : [...ways.keys()];
        for (const index of order) rates[index]!.push(...(await epochRates(root, folder, spec.path, ways[index]!)));
      }
      const [one, ...others] = rates.map(median) as [number, ...number[]];
      const cells = others.map((rate, index) => `${ways[index + 1]!.label} ${fmt(rate)} (${(rate / one).toFixed(2)}×)`);
      console.log(`    ${spec.label.padEnd(20)}  1 thread ${fmt(one)}  ${cells.join("  ")}`);
    }
    console.log(`  (aim for all cores ≥ ${TARGET_RATIO}× one thread)`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function writeSpec(folder: string, name: string, text: string): string {
  const small = text.replace(/^\s*split\s.*$/m, `  ${SPLIT}`);
  if (small === text) throw new Error(`${name}: no split line to shrink; update bench/all-cores.ts`);
  const path = join(folder, name);
  writeFileSync(path, small);
  return path;
}

/** Samples/s of each epoch after the first of one `regc run`, or of several at once, added. */
async function epochRates(root: string, folder: string, spec: string, way: Way): Promise<number[]> {
  const runs = await Promise.all(Array.from({ length: way.sideBySide }, (_, index) => runRates(root, join(folder, `runs-${way.threads}-${way.replicas}-${index}`), spec, way)));
  return runs[0]!.map((_, epoch) => runs.reduce((total, rates) => total + rates[epoch]!, 0));
}

async function runRates(root: string, runs: string, spec: string, way: Way): Promise<number[]> {
  const args = [join(root, "dist", "regc.js"), "run", spec, "--backend", "wasm", "--threads", String(way.threads), "--replicas", String(way.replicas)];
  const child = spawn(process.execPath, [...args, "--epochs", String(EPOCHS), "--runs", runs], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (status !== 0) throw new Error(`regc run ${spec} (${way.label}) failed: ${stderr}`);
  const [run] = readdirSync(runs).filter((name) => !name.startsWith("."));
  const history = JSON.parse(readFileSync(join(runs, run!, "history.json"), "utf8")) as History;
  rmSync(runs, { recursive: true, force: true });
  return history.epochs.slice(1).map((epoch) => TRAIN_ROWS / epoch.seconds);
}

function fmt(samplesPerSecond: number): string {
  return Math.round(samplesPerSecond).toLocaleString("en").padStart(6);
}
