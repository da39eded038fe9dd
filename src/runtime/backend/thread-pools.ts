/**
 * The threaded wasm build's thread pool, chosen kernel by kernel: all its
 * threads, or the calling thread alone. Every XNNPACK call takes the pool
 * from one pointer in wasm memory (found by thread-pool-address.ts); a
 * second pool of one thread is made once, and choosing writes the
 * pointer. A pool of one runs a kernel where it is called, with no
 * hand-off to a worker, which small kernels cannot repay; the numbers are
 * the same either way, as the threads split a kernel's output and never a
 * sum.
 */
export class ThreadPools {
  /** Threads that kernels big enough to split use: 1 or {@link most}. */
  private threads: number;

  private constructor(
    /** Wasm memory as 32-bit words: shared memory, so a view taken once stays valid as the memory grows. */
    private readonly words: Int32Array,
    private readonly index: number,
    /** Threads of the pool the backend was made with. */
    readonly most: number,
    private readonly all: number,
    private readonly one: number,
  ) {
    this.threads = most;
  }

  /**
   * The pools of a threaded backend module whose pool pointer is at
   * `address`, all threads in use; undefined where the build does not read
   * its pool from there, which is tried first by clearing the word (a build
   * with no pool reports no `most` threads) and putting it back.
   */
  static create(module: ThreadedModule, address: number, most: number): ThreadPools | undefined {
    const words = new Int32Array(module.HEAP32.buffer);
    const index = address / 4;
    const all = words[index]!;
    words[index] = 0;
    const readsTheWord = module.tfjs.getThreadsCount() !== most;
    words[index] = all;
    if (!readsTheWord || module.tfjs.getThreadsCount() !== most) return undefined;
    // Makes a pool of one and points the build at it; then back to the backend's own pool.
    module.tfjs.initWithThreadsCount(1);
    const one = words[index]!;
    words[index] = all;
    return new ThreadPools(words, index, most, all, one);
  }

  /** Splits big kernels over `threads` threads from now on: 1 or {@link most}. */
  use(threads: number): void {
    if (threads !== 1 && threads !== this.most) throw new Error(`a thread pool has 1 or ${this.most} threads, not ${threads}`);
    this.threads = threads;
    this.words[this.index] = threads === 1 ? this.one : this.all;
  }

  /** The threads big kernels are split over: 1 or {@link most}. */
  get inUse(): number {
    return this.threads;
  }

  /**
   * Points the build at the pool for a kernel of `values` values (its size:
   * kernel-threads.ts; all threads only when that is worth a hand-off), and
   * returns the pool it pointed at, for {@link restore} once the kernel
   * is done: a kernel made of others runs its last parts on its own choice.
   */
  chooseFor(values: number): number {
    const previous = this.words[this.index]!;
    this.words[this.index] = this.threads > 1 && values >= SPLIT_FROM_VALUES ? this.all : this.one;
    return previous;
  }

  restore(pool: number): void {
    this.words[this.index] = pool;
  }
}

/**
 * The smallest kernel input worth splitting: 64K float32 values (256 KiB,
 * beyond a core's L1 and L2 caches' share) take tens of microseconds, as
 * long as waking a pool thread and waiting for it; smaller kernels, such
 * as an MLP's bias adds and activations at batch 32, lose more than they
 * gain.
 */
export const SPLIT_FROM_VALUES = 65_536;

/** What ThreadPools needs of the Emscripten module: its heap and tfjs's wrapped exports. */
export interface ThreadedModule {
  HEAP32: Int32Array;
  tfjs: { initWithThreadsCount(threads: number): void; getThreadsCount(): number };
}

const poolsOfBackend = new WeakMap<object, ThreadPools>();

/** The pools of a wasm backend; undefined for the single-threaded build, or a build whose pool cannot be found. */
export function threadPoolsOf(backend: object): ThreadPools | undefined {
  return poolsOfBackend.get(backend);
}

export function setThreadPools(backend: object, pools: ThreadPools): void {
  poolsOfBackend.set(backend, pools);
}
