import type { BlobStore, TrialJob, TrialResult } from "./trial.js";

/** A trial's outcome as an engine hands it over: the result, and its run folder when the trial ran on this machine. */
export interface FinishedTrial {
  result: TrialResult;
  runFolder?: string;
}

/**
 * Where trials run: a pool of local processes, or a queue that workers on
 * other machines take them from. Experiments store their files in `blobs`,
 * hand over jobs, and hear of each trial as it finishes, in any order.
 */
export interface TrialEngine {
  /** Where jobs' files must be stored before `run` (the jobs carry only their hashes). */
  readonly blobs: BlobStore;
  /** How many trials run at once now: a tuning keeps that many in flight. */
  readonly concurrency: number;
  /** What the engine is, for progress messages: `2 local workers`, `queue redis://…`. */
  readonly description: string;
  /**
   * Runs every job and calls `onFinished` once per finished trial (a crash
   * or a diverging loss is a finished trial with its reason). Resolves when
   * all have finished, or soon after `signal` aborts, leaving unfinished
   * trials unreported.
   */
  run(jobs: readonly TrialJob[], onFinished: (trial: FinishedTrial) => Promise<void> | void, signal?: AbortSignal): Promise<void>;
  /** Frees what the engine holds (connections, scratch space). */
  close(): Promise<void>;
}
