// What this machine's cores give to work that shares nothing, in the same
// run as the rows above: one worker thread alone against one on every core
// at once, each with its own wasm memory, running the instructions reglang's
// kernels are made of (wasm SIMD). Arithmetic keeps its values in registers,
// so it measures the cores; streaming reads a memory far larger than the
// caches, so it measures the bandwidth they share. A kernel bound by memory
// (a weight update, a product whose weights left the cache) cannot get more
// from the cores than the streaming row.
import { Worker } from "node:worker_threads";
import { assembleModule, FunctionWriter, type Local } from "../src/runtime/backend/wasm-kernels/simd/assembler.js";
import { median } from "./stats.js";

const ROUNDS = 7;
/** Each worker's memory: far beyond the last-level cache, so every pass reads it from memory. */
const STREAM_BYTES = 256 << 20;
const STREAM_PASSES = 6;
/** Iterations of 8 multiply-adds on four lanes: about 100 ms on one core. */
const ARITHMETIC_ITERATIONS = 30_000_000;
const PAGE_BYTES = 65_536;

const WORKER_SCRIPT = `
const { parentPort, workerData } = require("node:worker_threads");
const { bytes, memoryBytes } = workerData;
const memory = new WebAssembly.Memory({ initial: memoryBytes / ${PAGE_BYTES} });
new Float32Array(memory.buffer).fill(1);
const { stream, arithmetic } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
parentPort.on("message", ({ kind, amount }) => {
  const start = performance.now();
  if (kind === "stream") for (let pass = 0; pass < amount; pass++) stream(64, memoryBytes);
  else arithmetic(amount);
  parentPort.postMessage(performance.now() - start);
});
parentPort.postMessage("ready");
`;

type Kind = "arithmetic" | "stream";

/** Prints, for arithmetic and for streaming memory, all cores' work per second over one core's. */
export async function benchHostCapacity(cores: number): Promise<void> {
  const bytes = hostModule();
  const workers = await Promise.all(Array.from({ length: cores }, () => startWorker(bytes)));
  try {
    const cells: string[] = [];
    for (const [kind, label, amount] of [["arithmetic", "SIMD arithmetic", ARITHMETIC_ITERATIONS], ["stream", "streaming memory", STREAM_PASSES]] as const) {
      const ratios: number[] = [];
      const aloneMillis: number[] = [];
      for (let round = -1; round < ROUNDS; round++) {
        let alone = 0;
        let together = 0;
        for (const all of round % 2 ? [false, true] : [true, false]) {
          const millis = await Promise.all((all ? workers : workers.slice(0, 1)).map((worker) => timeJob(worker, kind, amount)));
          if (all) together = Math.max(...millis);
          else alone = millis[0]!;
        }
        // Round -1 warms up: the first pass commits the memory's pages.
        if (round >= 0) {
          ratios.push((cores * alone) / together);
          aloneMillis.push(alone);
        }
      }
      const bandwidth = kind === "stream" ? ` (one core ${((STREAM_BYTES * STREAM_PASSES) / median(aloneMillis) / 1e6).toFixed(1)} GB/s)` : "";
      cells.push(`${label} ${median(ratios).toFixed(2)}×${bandwidth}`);
    }
    console.log(`    this machine, ${cores} worker threads vs 1, each on its own data (median of ${ROUNDS} alternating rounds):  ${cells.join("  ")}`);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function startWorker(bytes: Uint8Array): Promise<Worker> {
  const worker = new Worker(WORKER_SCRIPT, { eval: true, workerData: { bytes, memoryBytes: STREAM_BYTES } });
  return new Promise((resolve, reject) => {
    worker.once("message", () => resolve(worker));
    worker.once("error", reject);
  });
}

function timeJob(worker: Worker, kind: Kind, amount: number): Promise<number> {
  return new Promise((resolve) => {
    worker.once("message", resolve);
    worker.postMessage({ kind, amount });
  });
}

/**
 * `stream(from, to)`: the f32x4 sum of the bytes [from, to) in four sums,
 * stored at address 0; `arithmetic(iterations)`: eight f32x4 sums, each
 * multiplied and added to, stored there too (what is stored keeps the
 * work from being skipped).
 */
function hostModule(): Uint8Array {
  const stream = new FunctionWriter(2);
  const [position, limit] = stream.parameters() as [Local, Local];
  const streamSums = Array.from({ length: 4 }, () => stream.local("v128"));
  for (const sum of streamSums) stream.f32x4Constant(0).set(sum);
  stream.whileFits(position, 64, limit, () => {
    streamSums.forEach((sum, index) => stream.get(sum).get(position).loadV128(index * 16).f32x4Add().set(sum));
    stream.addConstant(position, 64);
  });
  streamSums.forEach((sum, index) => stream.i32(0).get(sum).storeV128(index * 16));

  const arithmetic = new FunctionWriter(1);
  const [iterations] = arithmetic.parameters() as [Local];
  const counter = arithmetic.local("i32");
  const [scale, shift] = [arithmetic.local("v128"), arithmetic.local("v128")];
  const sums = Array.from({ length: 8 }, () => arithmetic.local("v128"));
  arithmetic.f32x4Constant(0.999).set(scale).f32x4Constant(0.001).set(shift);
  for (const sum of sums) arithmetic.f32x4Constant(1).set(sum);
  arithmetic.countDown(counter, iterations, () => {
    for (const sum of sums) arithmetic.get(sum).get(scale).f32x4Mul().get(shift).f32x4Add().set(sum);
  });
  sums.forEach((sum, index) => arithmetic.i32(0).get(sum).storeV128(index * 16));

  return assembleModule(
    [
      { name: "stream", writer: stream },
      { name: "arithmetic", writer: arithmetic },
    ],
    false,
  );
}
