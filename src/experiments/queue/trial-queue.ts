import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { BlobStore, TrialJob, TrialResult, TrialStatus } from "../trial.js";
import { connectRedis } from "./connect.js";
import { jobIdOf, TRIAL_QUEUE } from "./keys.js";
import { RedisBlobStore } from "./redis-blob-store.js";
import type { RedisTarget } from "./redis-url.js";

export interface TrialQueueOptions {
  /** Files above this size are refused before anything is queued. */
  maxFileBytes: number;
  /** How often the queue is read for finished trials. */
  pollMs?: number;
}

const DEFAULT_POLL_MS = 500;

/**
 * The coordinator's side of the queue: it stores an experiment's files in
 * Redis, queues each trial once (its job id is the experiment and trial id,
 * so a restarted coordinator finds the jobs it queued before instead of
 * adding them again) and hands back each finished trial's result once.
 *
 * Finished trials are found by reading job states rather than by listening
 * to events, so that trials finished while no coordinator was listening are
 * collected all the same. A job is removed only after its result was handed
 * over, so a coordinator stopped in between collects it again on restart.
 */
export class TrialQueue {
  private constructor(
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly options: TrialQueueOptions,
  ) {}

  static async open(target: RedisTarget, options: TrialQueueOptions): Promise<TrialQueue> {
    const redis = await connectRedis(target, "reglang-coordinator");
    return new TrialQueue(redis, new Queue(TRIAL_QUEUE, { connection: redis }), options);
  }

  /**
   * Runs `jobs` on whatever workers take them, calling `onResult` once per
   * trial as it finishes. `source` holds the files the jobs name. Returns when
   * every trial is recorded, or as soon as `signal` aborts: then the queued
   * trials stay queued, and workers may go on finishing them for a restart.
   */
  async run(jobs: readonly TrialJob[], source: BlobStore, onResult: (result: TrialResult) => void | Promise<void>, signal?: AbortSignal): Promise<void> {
    await this.shipFiles(jobs, source);
    const pending = new Map(jobs.map((job) => [jobIdOf(job), job]));
    for (const [jobId, job] of pending) {
      if ((await this.queue.getJobState(jobId)) === "unknown") await this.enqueue(jobId, job);
    }
    while (pending.size > 0 && !signal?.aborted) {
      for (const [jobId, job] of pending) {
        if (signal?.aborted) return;
        const state = await this.queue.getJobState(jobId);
        if (state === "completed" || state === "failed") {
          await onResult(await this.resultOf(jobId, job));
          pending.delete(jobId);
          await this.queue.remove(jobId);
        } else if (state === "unknown") {
          // Removed by someone else (a queue cleaned by hand): queue it again rather than wait forever.
          await this.enqueue(jobId, job);
        }
      }
      if (pending.size > 0) await pause(this.options.pollMs ?? DEFAULT_POLL_MS, signal);
    }
    if (pending.size === 0) {
      for (const experiment of new Set(jobs.map((job) => job.experiment))) await this.blobsOf(experiment).removeAll();
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Copies every file the jobs read into Redis, each once; a file above the size limit stops everything before a trial is queued. */
  private async shipFiles(jobs: readonly TrialJob[], source: BlobStore): Promise<void> {
    const shipped = new Set<string>();
    for (const job of jobs) {
      const blobs = this.blobsOf(job.experiment);
      for (const file of job.files) {
        const key = `${job.experiment}:${file.sha256}`;
        if (shipped.has(key)) continue;
        await blobs.putFile(await source.get(file.sha256), `the data file ${file.path}`);
        shipped.add(key);
      }
    }
  }

  private enqueue(jobId: string, job: TrialJob): Promise<unknown> {
    // One attempt: a trial that fails is a result to record, not something to retry.
    // Workers that vanish mid-trial are BullMQ's stalled jobs, taken over by another worker.
    return this.queue.add(job.arm, job, { jobId, attempts: 1, removeOnComplete: false, removeOnFail: false });
  }

  private async resultOf(jobId: string, job: TrialJob): Promise<TrialResult> {
    const finished = await this.queue.getJob(jobId);
    const value = finished?.returnvalue as Partial<TrialResult> | null | undefined;
    if (finished?.finishedOn && value && isStatus(value.status)) return { ...value, id: job.id, status: value.status };
    const reason = finished?.failedReason || "the job finished without a result";
    return { id: job.id, status: "failed", reason: `no worker could run it: ${reason}` };
  }

  private blobsOf(experiment: string): RedisBlobStore {
    return new RedisBlobStore(this.redis, experiment, this.options.maxFileBytes);
  }
}

function isStatus(status: unknown): status is TrialStatus {
  return status === "ok" || status === "diverged" || status === "failed";
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
