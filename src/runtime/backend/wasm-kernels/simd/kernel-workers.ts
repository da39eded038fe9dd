import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { threadPoolsOf } from "../../thread-pools.js";
import { isShared, memoryOf, type SimdModule } from "./instances.js";
import {
  CHUNK_LIMIT,
  CHUNK_SIZE,
  CHUNKS,
  CLAIM,
  CALLER_WAITING,
  CLOSED,
  CONTROL_WORDS,
  FAILED,
  FINISHED,
  FIXED,
  FIXED_COUNT,
  FUNCTION,
  MAX_CHUNKS,
  MAX_FIXED,
  SEQUENCE_LIMIT,
  SLEEPING,
  TOTAL,
  WAKE,
  WORKER_CHUNKS,
  WORKER_SCRIPT,
} from "./kernel-worker-script.js";

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
 * After a job a worker waits awake for the next a short while, then
 * sleeps on Atomics.wait; the calling thread notifies only sleeping
 * workers, and a worker notifies the calling thread only when it sleeps.
 * A notification costs tens of microseconds, a sizeable part of a small
 * product. XNNPACK's own pool spins for a millisecond or so after each of
 * its operators, which is why a training step's products are reglang's
 * (batch-mat-mul.ts): two pools spinning on two cores take turns by the
 * scheduler's slices.
 */
export class KernelWorkers {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  /** Each (module, function) pair's number, as the workers know it. */
  private readonly functions = new Map<WebAssembly.Module, Map<string, number>>();
  private functionCount = 0;
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
    if (!Number.isInteger(total) || total < 0 || !Number.isInteger(chunkSize) || chunkSize < 1) {
      throw new Error(`a job needs a whole range and chunk size of at least 1, not ${total} and ${chunkSize}`);
    }
    const chunks = Math.ceil(total / chunkSize);
    if (fixed.length > MAX_FIXED || chunks > MAX_CHUNKS) throw new Error(`a job of ${fixed.length} arguments and ${chunks} chunks is too large`);
    if (chunks === 0) return;
    const c = this.control;
    this.sequence = (this.sequence + 1) % SEQUENCE_LIMIT;
    c[FUNCTION] = this.functionNumber(module, functionName);
    c[CHUNKS] = chunks;
    c[CHUNK_SIZE] = chunkSize;
    c[TOTAL] = total;
    c[FIXED_COUNT] = fixed.length;
    for (let i = 0; i < fixed.length; i++) c[FIXED + i] = fixed[i]!;
    Atomics.store(c, FINISHED, 0);
    Atomics.store(c, CLAIM, this.sequence * CHUNK_LIMIT);
    Atomics.store(c, WAKE, this.sequence);
    if (Atomics.load(c, SLEEPING) !== 0) Atomics.notify(c, WAKE);
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
    // Closed: a claim still in flight now fails, so no worker can read the next job's words as this one's.
    Atomics.store(c, CLAIM, CLOSED);
    const failedOnWorker = Atomics.exchange(c, FAILED, 0) !== 0;
    if (failure !== undefined) throw failure;
    if (failedOnWorker) throw new Error(`${functionName} failed on a worker thread`);
  }

  /** Chunks the workers have computed so far, all jobs together. */
  get workerChunks(): number {
    return Atomics.load(this.control, WORKER_CHUNKS);
  }

  /** Stops the workers (a new backend has a new memory, and new workers); jobs run later go on the calling thread alone. */
  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /** The number of `module`'s function `functionName`, sent to every worker the first time it is used. */
  private functionNumber(module: WebAssembly.Module, functionName: string): number {
    let byName = this.functions.get(module);
    if (byName === undefined) this.functions.set(module, (byName = new Map()));
    let index = byName.get(functionName);
    if (index === undefined) {
      index = this.functionCount++;
      byName.set(functionName, index);
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
    if (spins > WAIT_SPINS) {
      Atomics.store(c, CALLER_WAITING, 1);
      Atomics.wait(c, FINISHED, finished, 1);
      Atomics.store(c, CALLER_WAITING, 0);
    }
  }
}

/** About 100 µs of spinning. */
const WAIT_SPINS = 20_000;

/**
 * From this many multiply-adds on (about 70 µs on one thread), a kernel's
 * work is split between threads: long enough for a sleeping worker to
 * wake and take a share.
 */
export const SPLIT_FROM_MULTIPLY_ADDS = 1 << 20;
/** Chunks each thread takes, on average, of a split kernel: enough for a late worker to cost little. */
const CHUNKS_PER_THREAD = 4;

/** A chunk of a range of `total` for `threads` threads: about {@link CHUNKS_PER_THREAD} each, in whole multiples of `unit`. */
function chunkOf(total: number, threads: number, unit: number): number {
  return Math.max(1, Math.round(total / unit / (threads * CHUNKS_PER_THREAD))) * unit;
}

/**
 * Calls the function `name` of `compiled` over the range [0, total), with
 * `fixed` and then the range's bounds as arguments: split between the
 * kernel workers, in chunks of whole `unit`s, where the work is
 * `worthSplitting` and the backend's threads are in use; else at once on
 * the calling thread.
 */
export function runOverRange(
  backend: BackendWasm,
  compiled: SimdModule,
  name: string,
  fixed: readonly number[],
  total: number,
  unit: number,
  worthSplitting: boolean,
): void {
  const kernel = compiled.functions[name];
  if (kernel === undefined) throw new Error(`the SIMD module has no function ${name}`);
  const workers = worthSplitting ? kernelWorkersOf(backend) : undefined;
  if (workers === undefined) kernel(...fixed, 0, total);
  else workers.run(compiled.module, name, kernel, fixed, total, chunkOf(total, workers.threads, unit));
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
    stopKernelWorkers();
    current = { memory, workers: new KernelWorkers(memory, pools.inUse - 1) };
  }
  return current.workers;
}

/** Stops the workers of the backend in use, which hold its memory: called when that backend is replaced. */
export function stopKernelWorkers(): void {
  void current?.workers.terminate();
  current = undefined;
}
