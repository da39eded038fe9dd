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
