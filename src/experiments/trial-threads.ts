import { availableParallelism } from "node:os";
import { shareThreads } from "../runtime/backend/threads.js";

/**
 * The threads each trial trains with when `trialsAtOnce` run side by side
 * on this machine: the cores shared out, one each when there are no more
 * cores than trials, so trials never compete for a core.
 */
export function threadsPerTrial(trialsAtOnce: number, cores = availableParallelism()): number {
  return shareThreads(cores, trialsAtOnce);
}
