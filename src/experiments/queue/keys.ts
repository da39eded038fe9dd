import type { TrialJob } from "../trial.js";

/** The one BullMQ queue every coordinator fills and every `regc worker` takes trials from. */
export const TRIAL_QUEUE = "reglang-trials";

/** A trial's BullMQ job id: stable across coordinator restarts, so a trial is queued once. */
export function jobIdOf(job: Pick<TrialJob, "experiment" | "id">): string {
  return `${job.experiment}/${job.id}`;
}

/** Files are stored once per experiment, under their sha256. */
export function blobKey(experiment: string, sha256: string): string {
  return `reglang:blob:${experiment}:${sha256}`;
}

/** The set of an experiment's blob keys, so they can be deleted together when it is done. */
export function blobIndexKey(experiment: string): string {
  return `reglang:blobs:${experiment}`;
}

/**
 * A worker's BullMQ name, which Redis's client list shows to coordinators:
 * it says how many trials the worker runs at once, so a tuning keeps that
 * many of its trials in flight for it.
 */
export function workerName(trialsAtOnce: number): string {
  return `trials-${trialsAtOnce}`;
}

/** The trials a worker runs at once, read from its client name (`…:w:trials-N`); a worker named otherwise runs one. */
export function trialsAtOnceOf(clientName: string | undefined): number {
  const match = /:w:trials-(\d+)$/.exec(clientName ?? "");
  return match ? Number(match[1]) : 1;
}
