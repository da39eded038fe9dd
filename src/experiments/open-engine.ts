import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { TrialEngine } from "./engine.js";
import { experimentStore } from "./experiment-store.js";
import type { FolderBlobStore } from "./folder-blob-store.js";
import { LocalPool } from "./local-pool.js";

export interface EngineChoice {
  /** Local processes at once (default: one per core). */
  workers?: number;
  /** `redis://HOST:PORT[/DB]`: trials go to a queue that `regc worker`s take them from. */
  queue?: string;
  /** The largest data file a trial may carry through the queue, in MiB. */
  queueMaxFileMb?: number;
  /** The experiment's folder: the local pool keeps its store and scratch space in it. */
  folder: string;
}

/** Thrown for a choice this build cannot honour; the CLI turns it into a usage error. */
export class EngineUnavailable extends Error {}

/** The one place an experiment's engine is chosen: the local pool, or the queue when `queue` is given. */
export async function openEngine(choice: EngineChoice): Promise<TrialEngine> {
  const blobs = experimentStore(choice.folder);
  if (choice.queue !== undefined) {
    if (choice.workers !== undefined) throw new EngineUnavailable("--workers sets how many trials run on this machine, --queue sends them to `regc worker`s: give one of them");
    return openQueue(choice.queue, blobs, choice.queueMaxFileMb);
  }
  return new LocalPool(blobs, join(choice.folder, ".scratch"), choice.workers ?? availableParallelism());
}

/** Loaded only here: BullMQ and its Redis client are for experiments that use a queue. */
async function openQueue(url: string, blobs: FolderBlobStore, maxFileMb: number | undefined): Promise<TrialEngine> {
  const { DEFAULT_MAX_FILE_MB, parseRedisUrl, QueueEngine, QueueError } = await import("./queue/index.js");
  try {
    return await QueueEngine.open(parseRedisUrl(url), { blobs, maxFileBytes: (maxFileMb ?? DEFAULT_MAX_FILE_MB) * 2 ** 20 });
  } catch (error) {
    if (error instanceof QueueError) throw new EngineUnavailable(error.message);
    throw error;
  }
}
