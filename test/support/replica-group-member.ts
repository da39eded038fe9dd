// A replica of a group in a worker thread (started by test/runtime/replica-group.test.ts): it takes
// part in each exchange with the values it was given, and sends back the sums the group returned.
import { parentPort, workerData } from "node:worker_threads";
import { ReplicaGroup, type ReplicaMembership } from "../../src/runtime/parallel/replica-group.js";

interface Exchange {
  values: Float32Array;
  weighted: number;
  shares: number[];
}

const { membership, exchanges } = workerData as { membership: ReplicaMembership; exchanges: Exchange[] };
const group = ReplicaGroup.join(membership);
const sums = exchanges.map(({ values, weighted, shares }) => {
  group.slot(values.length).set(values);
  return Float32Array.from(group.allReduce(weighted, shares));
});
parentPort!.postMessage(sums);
