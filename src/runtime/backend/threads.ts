import { availableParallelism } from "node:os";
import { parseWholeNumber } from "../../shared/whole-number.js";
import { MAX_WASM_THREADS } from "./threaded-wasm.js";

/** The environment variable that sets the thread count when no `--threads` is given. */
export const THREADS_VARIABLE = "REGLANG_THREADS";

/** `--threads N` or `REGLANG_THREADS=N`, checked (a WholeNumberError past 1 to {@link MAX_WASM_THREADS}); `source` names which, for the message. */
export function parseThreadCount(text: string, source: string): number {
  return parseWholeNumber(source, text, 1, MAX_WASM_THREADS);
}

/** The threads to train with when none are asked for: REGLANG_THREADS, else every core (up to the most wasm can use). */
export function defaultThreadCount(environment: NodeJS.ProcessEnv = process.env): number {
  return threadsFromEnvironment(environment) ?? Math.min(availableParallelism(), MAX_WASM_THREADS);
}

/** REGLANG_THREADS, checked; undefined where it is not set. */
export function threadsFromEnvironment(environment: NodeJS.ProcessEnv = process.env): number | undefined {
  const fromEnvironment = environment[THREADS_VARIABLE];
  return fromEnvironment === undefined || fromEnvironment === "" ? undefined : parseThreadCount(fromEnvironment, THREADS_VARIABLE);
}

/**
 * Each one's threads when `sharers` processes train side by side on
 * `total` threads: whole threads only, at least one each (no process
 * waits for a core), at most what wasm uses.
 */
export function shareThreads(total: number, sharers: number): number {
  return Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor(total / Math.max(1, sharers))));
}
