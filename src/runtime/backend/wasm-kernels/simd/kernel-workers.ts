import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { threadPoolsOf } from "../../thread-pools.js";
import { isShared, memoryOf } from "./instances.js";

/**
 * Worker threads that take a share of a SIMD kernel's work, on the
 * threaded build's shared memory. XNNPACK's own pool runs only XNNPACK's
 * operators, so reglang's kernels would otherwise run on one thread.
 *
 * A kernel splits along one range whose parts are independent (a
 * product's columns, a filter gradient's taps); the range is cut into
 * chunks, which the calling thread and the workers claim one at a time
 * from one counter. A worker that is slow to wake (or not scheduled) costs
 * nothing but its help: the calling thread takes what is left, and waits
 * only for chunks already claimed. Every part is computed by the same code
 * whichever thread claims it, so results do not depend on the split.
 *
 * Workers sleep on Atomics.wait between jobs rather than spin: XNNPACK's
 * own pool spins for a millisecond or so after each of its operators, and
 * two spinning threads on one core take turns by the scheduler's slices.
 */
export class KernelWorkers {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  private readonly modules = new Map<WebAssembly.Module, number>();
  private readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];
  private sequence = 0;

  constructor(memory: WebAssembly.Memory, count: number) {
    for (let index = 0; index < count; index++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(WORKER_SCRIPT, { eval: true, workerData: { memory, control: this.control, port: port2 }, transferList: [port2] });
      worker.unref();
      port1.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  /** Threads that take chunks: the workers and the calling thread. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Calls `functionName` of `module` (instantiated here as `local`) on
   * every chunk of the range [0, total), `chunkSize` at a time: with
   * `fixed` and then the chunk's start and end as arguments.
   */
  run(module: WebAssembly.Module, functionName: string, local: (...parameters: number[]) => void, fixed: readonly number[], total: number, chunkSize: number): void {
    const chunks = Math.ceil(total / chunkSize);
    if (fixed.length > MAX_FIXED || chunks > MAX_CHUNKS) throw new Error(`a job of ${fixed.length} arguments and ${chunks} chunks is too large`);
    const c = this.control;
    this.sequence = (this.sequence + 1) % SEQUENCE_LIMIT;
    c[MODULE] = this.moduleIndex(module, functionName);
    c[CHUNKS] = chunks;
    c[CHUNK_SIZE] = chunkSize;
    c[TOTAL] = total;
    c[FIXED_COUNT] = fixed.length;
    for (let i = 0; i < fixed.length; i++) c[FIXED + i] = fixed[i]!;
    Atomics.store(c, FINISHED, 0);
    Atomics.store(c, CLAIM, this.sequence * CHUNK_LIMIT);
    Atomics.store(c, WAKE, this.sequence);
    Atomics.notify(c, WAKE);
    // Every claimed chunk is counted as finished, failed or not, so that no worker is still on this job when it returns.
    let failure: unknown;
    for (;;) {
      const chunk = Atomics.add(c, CLAIM, 1) % CHUNK_LIMIT;
      if (chunk >= chunks) break;
      const from = chunk * chunkSize;
      try {
        local(...fixed, from, Math.min(total, from + chunkSize));
      } catch (error) {
        failure ??= error;
      }
      Atomics.add(c, FINISHED, 1);
    }
    waitForChunks(c, chunks);
    const failedOnWorker = Atomics.exchange(c, FAILED, 0) !== 0;
    if (failure !== undefined) throw failure;
    if (failedOnWorker) throw new Error(`${functionName} failed on a worker thread`);
  }

  /** Stops the workers (a new backend has a new memory, and new workers). */
  terminate(): void {
    for (const worker of this.workers) void worker.terminate();
  }

  /** The module's number, sent to every worker the first time it is used. */
  private moduleIndex(module: WebAssembly.Module, functionName: string): number {
    let index = this.modules.get(module);
    if (index === undefined) {
      index = this.modules.size;
      this.modules.set(module, index);
      for (const port of this.ports) port.postMessage({ index, module, functionName });
    }
    return index;
  }
}

/**
 * Until `chunks` chunks are finished: spinning for as long as a chunk
 * takes, then sleeping, in case the thread with the last chunk was
 * descheduled (the last one to finish wakes the waiter).
 */
function waitForChunks(c: Int32Array, chunks: number): void {
  for (let spins = 0; ; spins++) {
    const finished = Atomics.load(c, FINISHED);
    if (finished >= chunks) return;
    if (spins > WAIT_SPINS) Atomics.wait(c, FINISHED, finished, 1);
  }
}

/** About 100 µs of spinning. */
const WAIT_SPINS = 20_000;

/** Words of the control block. CLAIM holds the job's sequence number times CHUNK_LIMIT plus the next chunk. */
const CLAIM = 0;
const FINISHED = 1;
const WAKE = 2;
const MODULE = 3;
const CHUNKS = 4;
const CHUNK_SIZE = 5;
const TOTAL = 6;
const FIXED_COUNT = 7;
const FAILED = 8;
const FIXED = 9;
const MAX_FIXED = 16;
const CONTROL_WORDS = FIXED + MAX_FIXED;
const CHUNK_LIMIT = 1 << 16;
/** Claims past the last chunk (one per thread) must not reach the sequence number's bits. */
const MAX_CHUNKS = CHUNK_LIMIT - 1024;
/** Sequence numbers wrap below this, so that CLAIM stays a positive int32. */
const SEQUENCE_LIMIT = 1 << 14;

/**
 * A worker claims chunks of the job whose sequence number it saw; a claim
 * made after that job ended sees another number (or no chunk left) and
 * takes nothing, so a late worker never computes a finished job's chunk
 * with the next job's arguments.
 */
const WORKER_SCRIPT = `
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const { memory, control: c, port } = workerData;
const functions = [];
let seen = Atomics.load(c, ${WAKE});
for (;;) {
  Atomics.wait(c, ${WAKE}, seen);
  seen = Atomics.load(c, ${WAKE});
  let fn, fixed, chunks, chunkSize, total;
  for (;;) {
    const claim = Atomics.load(c, ${CLAIM});
    const chunk = claim % ${CHUNK_LIMIT};
    if (Math.floor(claim / ${CHUNK_LIMIT}) !== seen) break;
    if (fn === undefined) {
      chunks = c[${CHUNKS}];
      if (chunk >= chunks) break;
    } else if (chunk >= chunks) break;
    if (Atomics.compareExchange(c, ${CLAIM}, claim, claim + 1) !== claim) continue;
    try {
      if (fn === undefined) {
        const index = c[${MODULE}];
        while (functions[index] === undefined) {
          const received = receiveMessageOnPort(port);
          if (received === undefined) continue;
          const { index: at, module, functionName } = received.message;
          functions[at] = new WebAssembly.Instance(module, { env: { memory } }).exports[functionName];
        }
        fn = functions[index];
        fixed = Array.from(c.subarray(${FIXED}, ${FIXED} + c[${FIXED_COUNT}]));
        chunkSize = c[${CHUNK_SIZE}];
        total = c[${TOTAL}];
      }
      const from = chunk * chunkSize;
      fn(...fixed, from, Math.min(total, from + chunkSize));
    } catch {
      Atomics.store(c, ${FAILED}, 1);
    }
    if (Atomics.add(c, ${FINISHED}, 1) + 1 === chunks) Atomics.notify(c, ${FINISHED});
  }
}
`;

/**
 * From this many multiply-adds on (about 70 µs on one thread), a kernel's
 * work is split between threads: long enough for a sleeping worker to
 * wake and take a share.
 */
export const SPLIT_FROM_MULTIPLY_ADDS = 1 << 20;
/** Chunks each thread takes, on average, of a split kernel: enough for a late worker to cost little. */
const CHUNKS_PER_THREAD = 4;

/** A chunk of a range of `total` for `threads` threads: about {@link CHUNKS_PER_THREAD} each, in whole multiples of `unit`. */
export function chunkOf(total: number, threads: number, unit: number): number {
  return Math.max(1, Math.round(total / unit / (threads * CHUNKS_PER_THREAD))) * unit;
}

/** The workers of the backend in use: one pool at a time, as only one wasm backend runs. */
let current: { memory: WebAssembly.Memory; workers: KernelWorkers } | undefined;

/**
 * Workers for a threaded backend whose kernels are split over all its
 * threads now (ThreadPools.inUse); undefined on one thread, where the
 * calling thread runs the kernel alone.
 */
export function kernelWorkersOf(backend: BackendWasm): KernelWorkers | undefined {
  const pools = threadPoolsOf(backend);
  if (pools === undefined || pools.inUse === 1) return undefined;
  const memory = memoryOf(backend);
  if (!isShared(memory)) return undefined;
  if (current?.memory !== memory) {
    current?.workers.terminate();
    current = { memory, workers: new KernelWorkers(memory, pools.inUse - 1) };
  }
  return current.workers;
}
