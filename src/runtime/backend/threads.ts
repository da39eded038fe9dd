import { availableParallelism } from "node:os";
import { MAX_WASM_THREADS } from "./threaded-wasm.js";

/** The environment variable that sets the thread count when no `--threads` is given. */
export const THREADS_VARIABLE = "REGLANG_THREADS";

/** A thread count that is not a whole number from 1 to {@link MAX_WASM_THREADS}. */
export class ThreadCountError extends Error {
  constructor(source: string, text: string) {
    super(`${source} needs a whole number of threads from 1 to ${MAX_WASM_THREADS}, not "${text}"`);
    this.name = "ThreadCountError";
  }
}

/** `--threads N` or `REGLANG_THREADS=N`, checked; `source` names which, for the message. */
export function parseThreadCount(text: string, source: string): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= MAX_WASM_THREADS)) throw new ThreadCountError(source, text);
  return value;
}

/** The threads to train with when none are asked for: REGLANG_THREADS, else every core (up to the most wasm can use). */
export function defaultThreadCount(environment: NodeJS.ProcessEnv = process.env): number {
  const fromEnvironment = environment[THREADS_VARIABLE];
  if (fromEnvironment !== undefined && fromEnvironment !== "") return parseThreadCount(fromEnvironment, THREADS_VARIABLE);
  return Math.min(availableParallelism(), MAX_WASM_THREADS);
}

/**
 * Each one's threads when `sharers` processes train side by side on
 * `total` threads: whole threads only, at least one each (no process
 * waits for a core), at most what wasm uses.
 */
export function shareThreads(total: number, sharers: number): number {
  return Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor(total / Math.max(1, sharers))));
}
