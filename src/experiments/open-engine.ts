import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { TrialEngine } from "./engine.js";
import { FolderBlobStore } from "./folder-blob-store.js";
import { LocalPool } from "./local-pool.js";

export interface EngineChoice {
  /** Local processes at once (default: one per core). */
  workers?: number;
  /** `redis://HOST:PORT[/DB]`: trials go to a queue that `regc worker`s take them from. */
  queue?: string;
  /** The experiment's folder: the local pool keeps its store and scratch space in it. */
  folder: string;
}

/** Thrown for a choice this build cannot honour; the CLI turns it into a usage error. */
export class EngineUnavailable extends Error {}

/** The one place an experiment's engine is chosen: the local pool, or the queue when `queue` is given. */
export async function openEngine(choice: EngineChoice): Promise<TrialEngine> {
  if (choice.queue !== undefined) {
    throw new EngineUnavailable("`--queue` needs the queue transport, which this build of regc does not include; run without it to use the local workers");
  }
  return new LocalPool(new FolderBlobStore(join(choice.folder, ".blobs")), join(choice.folder, ".scratch"), choice.workers ?? availableParallelism());
}
