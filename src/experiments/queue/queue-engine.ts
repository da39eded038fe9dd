import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { FinishedTrial, TrialEngine } from "../engine.js";
import type { BlobStore, TrialJob, TrialResult, TrialStatus } from "../trial.js";
import { closeRedis, connectRedis, RECONNECT_ATTEMPTS } from "./connect.js";
import { jobIdOf, TRIAL_QUEUE, trialsAtOnceOf } from "./keys.js";
import { QueueConnectionLost } from "./queue-error.js";
import { RedisBlobStore } from "./redis-blob-store.js";
import type { RedisTarget } from "./redis-url.js";
import { plural } from "../../shared/plural.js";

export interface QueueEngineOptions {
  /** The experiment's own store of its files (on this machine): the engine copies what jobs read into Redis. */
  blobs: BlobStore;
  /** Files above this size are refused before anything is queued. */
  maxFileBytes: number;
  /** How often the queue is read for finished trials. */
  pollMs?: number;
}

const DEFAULT_POLL_MS = 500;
/** How often the workers' trial slots are read again while trials run: workers come and go. */
const SLOTS_READ_MS = 2_000;

/**
 * The coordinator's side of the queue: it copies an experiment's files into
 * Redis, queues each trial once (its job id is the experiment's and the
 * trial's, so a restarted coordinator finds the jobs it queued before
 * instead of adding them again) and hands over each finished trial once.
 *
 * Finished trials are found by reading job states rather than by listening
 * to events, so trials that finished while no coordinator was listening
 * are collected all the same. A job is removed only after its result was
 * handed over: a coordinator stopped in between collects it again.
 */
export class QueueEngine implements TrialEngine {
  readonly blobs: BlobStore;
  readonly description: string;
  /** The trials the connected workers run at once, as last read (at least 1); trials wait in the queue for workers that join later. */
  private slots: number;
  private slotsReadAt = Date.now();
  /** Experiments whose files were shipped, and whether some run stopped with trials still queued (whose workers need the files). */
  private readonly experiments = new Set<string>();
  private cutShort = false;

  private constructor(
    private readonly target: RedisTarget,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly options: QueueEngineOptions,
    { workers, slots }: ConnectedWorkers,
  ) {
    this.blobs = options.blobs;
    this.slots = slots;
    this.description =
      workers === undefined
        ? `the queue at ${target.display}`
        : workers > 0
          ? `the queue at ${target.display} (${plural(workers, "worker")} connected)`
          : `the queue at ${target.display} (no worker connected yet: start \`regc worker --queue URL\` on the machines that should train)`;
  }

  static async open(target: RedisTarget, options: QueueEngineOptions): Promise<QueueEngine> {
    const redis = await connectRedis(target, "reglang-coordinator", RECONNECT_ATTEMPTS.coordinator);
    const queue = new Queue(TRIAL_QUEUE, { connection: redis });
    // Unheard, BullMQ prints every failed reconnection's stack trace; the connection retries on its own, and `run` says so when it gives up.
    queue.on("error", () => {});
    return new QueueEngine(target, redis, queue, options, await connectedWorkers(queue, target.db));
  }

  /** The trials the workers connected now run at once: a tuning keeps that many in flight. */
  get concurrency(): number {
    return this.slots;
  }

  /**
   * Returns when every trial is handed over, or as soon as `signal` aborts:
   * then queued trials stay queued, and workers may go on finishing them for
   * the next coordinator.
   */
  async run(jobs: readonly TrialJob[], onFinished: (trial: FinishedTrial) => Promise<void> | void, signal?: AbortSignal): Promise<void> {
    try {
      await this.collect(jobs, onFinished, signal);
    } catch (error) {
      this.cutShort = true;
      if (this.redis.status === "end") throw new QueueConnectionLost(`lost the connection to the queue at ${this.target.display}`);
      throw error;
    }
  }

  /** Deletes the experiments' files from Redis unless trials may still need them. */
  async close(): Promise<void> {
    if (!this.cutShort && this.redis.status === "ready") {
      for (const experiment of this.experiments) await this.redisBlobs(experiment).removeAll();
    }
    await this.queue.close();
    await closeRedis(this.redis);
  }

  private async collect(jobs: readonly TrialJob[], onFinished: (trial: FinishedTrial) => Promise<void> | void, signal?: AbortSignal): Promise<void> {
    await this.shipFiles(jobs);
    const pending = new Map(jobs.map((job) => [jobIdOf(job), job]));
    for (const [jobId, job] of pending) {
      if ((await this.queue.getJobState(jobId)) === "unknown") await this.enqueue(jobId, job);
    }
    while (pending.size > 0 && !signal?.aborted) {
      for (const [jobId, job] of pending) {
        if (signal?.aborted) break;
        const state = await this.queue.getJobState(jobId);
        if (state === "completed" || state === "failed") {
          await onFinished({ result: await this.resultOf(jobId, job) });
          pending.delete(jobId);
          await this.queue.remove(jobId);
        } else if (state === "unknown") {
          // Removed by someone else (a queue emptied by hand): queue it again rather than wait for ever.
          await this.enqueue(jobId, job);
        }
      }
      if (pending.size > 0) await pause(this.options.pollMs ?? DEFAULT_POLL_MS, signal);
      await this.readSlots();
    }
    if (pending.size > 0) this.cutShort = true;
  }

  /** Reads the workers' trial slots again, at most every {@link SLOTS_READ_MS}. */
  private async readSlots(): Promise<void> {
    if (Date.now() - this.slotsReadAt < SLOTS_READ_MS) return;
    this.slotsReadAt = Date.now();
    this.slots = (await connectedWorkers(this.queue, this.target.db)).slots;
  }

  /** Copies every file the jobs read into Redis, each once; a file above the size limit stops everything before a trial is queued. */
  private async shipFiles(jobs: readonly TrialJob[]): Promise<void> {
    const shipped = new Set<string>();
    for (const job of jobs) {
      this.experiments.add(job.experiment);
      const blobs = this.redisBlobs(job.experiment);
      for (const file of job.files) {
        const key = `${job.experiment}:${file.sha256}`;
        if (shipped.has(key)) continue;
        await blobs.putFile(await this.blobs.get(file.sha256), `the data file ${file.path}`);
        shipped.add(key);
      }
    }
  }

  private enqueue(jobId: string, job: TrialJob): Promise<unknown> {
    // One attempt: a trial that fails is a result to record, not something to retry.
    // A worker that vanishes mid-trial leaves a stalled job, which another worker takes over.
    return this.queue.add(job.arm, job, { jobId, attempts: 1, removeOnComplete: false, removeOnFail: false });
  }

  private async resultOf(jobId: string, job: TrialJob): Promise<TrialResult> {
    const finished = await this.queue.getJob(jobId);
    const value = finished?.returnvalue as Partial<TrialResult> | null | undefined;
    if (value && isStatus(value.status)) return { ...value, id: job.id, status: value.status };
    const reason = finished?.failedReason || "the job finished without a result";
    return { id: job.id, status: "failed", reason: `no worker could run it: ${reason}` };
  }

  private redisBlobs(experiment: string): RedisBlobStore {
    return new RedisBlobStore(this.redis, experiment, this.options.maxFileBytes);
  }
}

interface ConnectedWorkers {
  /** Workers on the queue's database; undefined where Redis does not list its clients. */
  workers: number | undefined;
  /** The trials they run at once, at least 1. */
  slots: number;
}

/** Workers on this queue in this database (CLIENT LIST shows every database's) and their trial slots; no count where Redis hides its clients. */
async function connectedWorkers(queue: Queue, db: number): Promise<ConnectedWorkers> {
  const clients = await queue.getWorkers();
  if (clients.some((client) => client.db === undefined)) return { workers: undefined, slots: 1 };
  const ours = clients.filter((client) => client.db === String(db));
  return { workers: ours.length, slots: Math.max(1, ours.reduce((sum, client) => sum + trialsAtOnceOf(client.rawname), 0)) };
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
