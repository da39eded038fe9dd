import { rmSync } from "node:fs";
import type { FinishedTrial, TrialEngine } from "./engine.js";
import { executeTrial, TrialInterrupted } from "./execute-trial.js";
import type { BlobStore, TrialJob } from "./trial.js";
import { threadsPerTrial } from "./trial-threads.js";
import { plural } from "../shared/plural.js";

/**
 * Trials on this machine: up to `workers` `regc run` processes at once,
 * each with its own backend and its share of the cores, the next trial
 * starting as one finishes. A
 * trial that cannot even start (a file missing from the store) is recorded
 * as failed; the others go on.
 */
export class LocalPool implements TrialEngine {
  readonly description: string;

  constructor(
    readonly blobs: BlobStore,
    /** Where trials' folders are made while they run. */
    private readonly scratch: string,
    readonly concurrency: number,
  ) {
    this.description = plural(concurrency, "local worker");
  }

  async run(jobs: readonly TrialJob[], onFinished: (trial: FinishedTrial) => Promise<void> | void, signal?: AbortSignal): Promise<void> {
    let next = 0;
    const trialsAtOnce = Math.min(this.concurrency, jobs.length);
    const threads = threadsPerTrial(trialsAtOnce);
    const worker = async (): Promise<void> => {
      while (!signal?.aborted && next < jobs.length) {
        const job = jobs[next++]!;
        let finished: FinishedTrial;
        try {
          finished = await executeTrial(job, this.blobs, this.scratch, signal, threads);
        } catch (error) {
          if (error instanceof TrialInterrupted) return;
          finished = { result: { id: job.id, status: "failed", reason: (error as Error).message } };
        }
        await onFinished(finished);
      }
    };
    await Promise.all(Array.from({ length: trialsAtOnce }, worker));
  }

  async close(): Promise<void> {
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
