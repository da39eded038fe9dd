import { rmSync } from "node:fs";
import { join } from "node:path";
import { isNotConnectionError, WaitingError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { executeTrial, TrialInterrupted } from "../execute-trial.js";
import { threadsPerTrial } from "../trial-threads.js";
import { FolderBlobStore } from "../folder-blob-store.js";
import type { BlobStore, TrialJob, TrialResult } from "../trial.js";
import { CachedBlobStore } from "./cached-blob-store.js";
import { closeRedis, connectRedis } from "./connect.js";
import { jobIdOf, TRIAL_QUEUE, workerName } from "./keys.js";
import { RedisBlobStore } from "./redis-blob-store.js";
import type { RedisTarget } from "./redis-url.js";

export interface TrialWorkerOptions {
  /** Trials run at once, each its own `regc run` process. */
  concurrency: number;
  /**
   * How long a trial stays with a worker that stopped answering before
   * another worker takes it over. Shorter takes over sooner; it must stay
   * well above a pause of the worker's event loop.
   */
  lockMs: number;
  /** Attempts to reach a Redis that went away before the worker stops (`reconnectAttemptsWithin`); about a minute's by default. */
  reconnectAttempts?: number;
  /** Where trials are written while they run (each trial's folder is removed once its result is sent), and the files fetched for them. */
  scratchRoot: string;
  /** One line per event (a trial taken, finished, given back; a queue error). */
  log(line: string): void;
}

/**
 * A BullMQ worker that takes trials from the queue, runs each with
 * {@link executeTrial} on files fetched from Redis, and returns its result
 * as the job's return value. A worker that vanishes mid-trial loses its
 * lock; another worker's stalled-job check puts the trial back in the queue.
 * BullMQ completes a job only under the lock of the run that holds it, so a
 * run that lost its lock and finishes late records nothing.
 */
export class TrialWorker {
  private constructor(
    private readonly redis: Redis,
    private readonly worker: Worker<TrialJob, TrialResult>,
    /** Settles when the connection to Redis is lost for good. */
    readonly lost: Promise<void>,
    private readonly unrecorded: ReadonlyMap<string, TrialResult["status"]>,
    private readonly log: (line: string) => void,
  ) {}

  static async start(target: RedisTarget, options: TrialWorkerOptions): Promise<TrialWorker> {
    const redis = await connectRedis(target, "reglang-worker", options.reconnectAttempts);
    const lost = new Promise<void>((resolve) => redis.once("end", () => resolve()));
    const cache = new FolderBlobStore(join(options.scratchRoot, "blobs"));
    const blobsOf = (experiment: string) => new CachedBlobStore(new RedisBlobStore(redis, experiment), cache);
    // Trials whose run ended but whose result Redis has not taken yet: a trial is finished only once its result is recorded.
    const unrecorded = new Map<string, TrialResult["status"]>();
    const ran = (name: string, result: TrialResult) => {
      unrecorded.set(name, result.status);
      if (redis.status !== "ready") options.log(`ran ${name}: ${result.status}; its result waits for the queue to answer again`);
    };
    const worker = new Worker<TrialJob, TrialResult>(TRIAL_QUEUE, (job, token, signal) => runTrial(blobsOf, job, token, signal, options, ran), {
      connection: redis,
      name: workerName(options.concurrency),
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      // A trial taken back from two vanished workers fails at the third rather than circle the queue for ever.
      maxStalledCount: 2,
    });
    // While Redis is away every reconnection attempt fails the same way: say it once.
    let lastError = "";
    worker.on("error", (error) => {
      const lostTo = takenOver(error);
      if (lostTo !== undefined) unrecorded.delete(lostTo);
      const line = lostTo === undefined ? `queue error: ${error.message}` : `the result of ${lostTo} is not recorded: the queue no longer holds this worker's lock on the trial (another worker took it over while this one was unresponsive, or Redis lost it in a restart)`;
      if (line !== lastError) options.log(line);
      lastError = line;
    });
    redis.on("ready", () => (lastError = ""));
    worker.on("completed", (job, result) => {
      const name = jobIdOf(job.data);
      unrecorded.delete(name);
      options.log(`finished ${name}: ${result.status}`);
    });
    // Its blocking connection up, the worker is seen by coordinators (CLIENT LIST) and takes trials.
    await worker.waitUntilReady();
    return new TrialWorker(redis, worker, lost, unrecorded, options.log);
  }

  /**
   * Gives running trials back to the queue, for other workers, says which
   * results it could not record, and disconnects. With Redis out of reach
   * it gives back nothing and waits for nothing (BullMQ would wait for the
   * connection to return): the trials' locks run out and other workers
   * take them over.
   */
  async stop(): Promise<void> {
    const reachable = this.redis.status === "ready";
    if (!reachable) this.log("the queue cannot be reached: the running trials go back to it when this worker's locks run out");
    this.worker.cancelAllJobs("the worker is stopping");
    await this.worker.close(!reachable);
    for (const [name, status] of this.unrecorded) {
      this.log(`the result of ${name} (${status}) could not be recorded: the queue did not take it before the worker stopped; the trial goes back to the queue`);
    }
    await closeRedis(this.redis);
  }
}

async function runTrial(
  blobsOf: (experiment: string) => BlobStore,
  job: Job<TrialJob, TrialResult>,
  token: string | undefined,
  signal: AbortSignal | undefined,
  options: TrialWorkerOptions,
  ran: (name: string, result: TrialResult) => void,
): Promise<TrialResult> {
  const trial = job.data;
  const name = jobIdOf(trial);
  // Both name folders on this machine: a job must not reach outside the worker's scratch space.
  if (!isPlainName(trial.experiment) || !isPlainName(trial.id)) throw new Error(`the job ${JSON.stringify(name)} does not name its experiment and trial as plain folder names`);
  // Trials of different experiments may share an id: each experiment has its own scratch folder.
  const scratch = join(options.scratchRoot, "trials", trial.experiment);
  options.log(`took ${name}`);
  try {
    // The worker runs `concurrency` trials at once on this machine: each gets its share of the cores.
    const { result } = await executeTrial(trial, blobsOf(trial.experiment), scratch, signal, threadsPerTrial(options.concurrency));
    ran(name, result);
    return result;
  } catch (error) {
    if (!(error instanceof TrialInterrupted)) throw error;
    // Stopped by this worker's shutdown, or by BullMQ when the lock was lost (the trial is already another worker's).
    try {
      await job.moveToWait(token);
      options.log(`gave back ${name}`);
    } catch (moveError) {
      // Out of reach, the queue still holds the trial under this worker's lock, which runs out in time.
      if (isNotConnectionError(moveError as Error)) options.log(`lost ${name} to another worker`);
      else options.log(`could not give back ${name}: the queue cannot be reached; it takes the trial back once this worker's lock runs out`);
    }
    throw new WaitingError();
  } finally {
    rmSync(join(scratch, trial.id), { recursive: true, force: true });
  }
}

/** One folder name and no more: an experiment's folder keeps the letters and digits of any script (`données-20240305-070509`). */
function isPlainName(name: unknown): boolean {
  return typeof name === "string" && /^[\p{L}\p{M}\p{N}_.@+-]+$/u.test(name) && name !== "." && name !== "..";
}

/** The trial of a run that finished after another worker took it over, read from BullMQ's words for refusing its result. */
function takenOver(error: Error): string | undefined {
  return /^(?:Missing key for job|Missing lock for job|Lock mismatch for job|Job) (\S+?)(?:\. | is not in the active state\. )(?:Cmd )?moveToFinished/.exec(error.message)?.[1];
}
