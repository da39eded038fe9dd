import { availableParallelism } from "node:os";
import { MAX_WASM_THREADS } from "../runtime/backend/threaded-wasm.js";

/**
 * The threads each trial trains with when `trialsAtOnce` run side by side
 * on this machine: the cores shared out, one each when there are no more
 * cores than trials, so trials never compete for a core.
 */
export function threadsPerTrial(trialsAtOnce: number, cores = availableParallelism()): number {
  return Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor(cores / Math.max(1, trialsAtOnce))));
}
