import { Worker } from "node:worker_threads";
import { REPLICA_FAILURE, type ReplicaGroup, type ReplicaMembership } from "./replica-group.js";

/**
 * A replica's place in its group, rank 0's run folder, the spec's folder
 * its run.json records (where a moved run folder finds its data), and on a
 * resume the SHA-256 of the data the run started with (a replica checks its
 * data against it where two folders hold a file of the data's name, as the
 * first replica does).
 */
export type ReplicaPlace = ReplicaMembership & { folder: string; specFolder?: string; sha256?: string };

/** How a replica's thread runs the program: the options rank 0's run settled on, and its place in the group. */
export interface ReplicaStart {
  /** The generated program's module URL (a `file:` URL): each replica imports it and calls its `main`. */
  program: string;
  options: {
    backend: string;
    threads: number;
    epochs?: number;
    seed: number;
    resume?: string;
    replica: ReplicaPlace;
  };
}

/**
 * Errors every replica meets where rank 0 does, which rank 0 reports
 * itself: a diverging loss (every replica computes the same numbers), the
 * data, the run folder, the backend.
 */
const REPORTED_BY_RANK_0 = ["TrainingStopped", "DataError", "RunFolderError", "BackendUnavailableError"];

/**
 * The replica's thread: a module of its own (no file to ship beside the
 * bundle) that imports the program and runs its `main` as replica `rank`.
 * It ends quietly when the group ended first (rank 0 stopped, or another
 * replica failed). Otherwise its failure ends the group, so rank 0 stops
 * waiting; it is written to stderr at once (the main thread may be waiting
 * in a barrier and print nothing), unless rank 0 reports the same.
 */
const REPLICA_SCRIPT = `
import { workerData } from "node:worker_threads";
import { writeSync } from "node:fs";
const { program, options } = workerData;
try {
  const { main } = await import(program);
  await main(options);
} catch (error) {
  const control = new Int32Array(options.replica.control);
  if (error?.name !== "ReplicaGroupEnded" && Atomics.load(control, ${REPLICA_FAILURE.word}) === 0) {
    if (!${JSON.stringify(REPORTED_BY_RANK_0)}.includes(error?.name)) writeSync(2, "training replica " + (options.replica.rank + 1) + ": " + (error?.stack ?? error) + "\\n");
    Atomics.compareExchange(control, ${REPLICA_FAILURE.word}, 0, ${REPLICA_FAILURE.base} + options.replica.rank);
    Atomics.notify(control, ${REPLICA_FAILURE.wake});
  }
}
`;

/**
 * Starts replicas 1 … size−1 of `group`, each a worker thread running
 * the program. They need no joining: each ends when its `main` returns or
 * the group ends, and none keeps the process alive.
 */
export function startReplicaThreads(group: ReplicaGroup, start: (membership: ReplicaMembership) => ReplicaStart): void {
  for (let rank = 1; rank < group.size; rank++) {
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(REPLICA_SCRIPT)}`), { workerData: start(group.memberOf(rank)) });
    worker.unref();
  }
}
