import * as tf from "@tensorflow/tfjs";
import type { DataSplit } from "../data/dataset.js";
import type { Technique } from "../train/technique.js";
import { tangentFields, type Along, type TangentFields } from "./tangent-fields.js";
import { TangentReferences, type TangentSet } from "./two-sided-distance.js";

/** The spring κ of the two-sided problem, relative to the pair's mean squared tangent norm. */
const SPRING = 0.01;
/** Queries per block of distances: bounds the memory of one block's inner products. */
const QUERY_BLOCK = 250;

/**
 * §7.14, the tangent distance classifier (Simard, LeCun & Denker 1993):
 * after training, classifies the test split (the validation split when
 * there is none) by the k nearest training examples under the two-sided
 * tangent distance, and reports its accuracy beside the network's, with
 * the same vote under plain Euclidean distance for comparison. Training is
 * untouched; the network's own metrics stay as they are.
 */
export function tangentDistance(options: { k: number; along: readonly Along[] }): Technique {
  const { k } = options;
  return {
    label: `tangent_distance(k: ${k}) along ${options.along.map((entry) => (typeof entry === "string" ? entry : entry.label)).join(", ")}`,
    finalMetrics(context): Record<string, Record<string, number>> {
      const fields = tangentFields(options.along, context.model.inputShape, "tangent_distance");
      const task = context.tasks.find((t) => t.kind === "classify");
      if (!task) throw new Error("tangent_distance: needs a classify task to take labels from");
      const { train, test, val } = context.data.splits;
      const queries = test ?? val;
      if (!train || !queries) return {};
      const split = test ? "test" : "val";
      const votes = nearestNeighbourVotes(fields, train, queries, task.target, k);
      return {
        tangent_distance: {
          [`${split}_accuracy`]: votes.tangent,
          [`${split}_euclidean_accuracy`]: votes.euclidean,
          references: train.rows,
          queries: queries.rows,
          k,
        },
      };
    },
  };
}

/** Accuracy of the k-nearest-neighbour vote under tangent and Euclidean distance, the references being `train`. */
export function nearestNeighbourVotes(fields: TangentFields, train: DataSplit, queries: DataSplit, target: string, k: number): { tangent: number; euclidean: number } {
  const referenceLabels = train.targets[target]!.dataSync();
  const queryLabels = queries.targets[target]!.dataSync();
  const referenceSet = tangentSet(fields, train.x);
  const references = new TangentReferences(referenceSet);
  tf.dispose([referenceSet.x, referenceSet.tangents]);
  let tangentHits = 0;
  let euclideanHits = 0;
  try {
    for (let start = 0; start < queries.rows; start += QUERY_BLOCK) {
      const rows = Math.min(QUERY_BLOCK, queries.rows - start);
      const x = tf.slice(queries.x, start, rows);
      const block = tangentSet(fields, x);
      const { tangent, euclidean } = references.distances(block, SPRING);
      tf.dispose([x, block.x, block.tangents]);
      for (let q = 0; q < rows; q++) {
        const truth = queryLabels[start + q];
        if (vote(tangent.subarray(q * references.count, (q + 1) * references.count), referenceLabels, k) === truth) tangentHits++;
        if (vote(euclidean.subarray(q * references.count, (q + 1) * references.count), referenceLabels, k) === truth) euclideanHits++;
      }
    }
  } finally {
    references.dispose();
  }
  return { tangent: tangentHits / queries.rows, euclidean: euclideanHits / queries.rows };
}

/** Examples as the distance sees them: flattened points and their tangents. */
function tangentSet(fields: TangentFields, x: tf.Tensor): TangentSet {
  return tf.tidy(() => {
    const n = x.shape[0]!;
    const tangents = fields.tangents(x);
    const points = tf.reshape(fields.points(x), [n, -1]) as tf.Tensor2D;
    return { x: points, tangents: tf.reshape(tf.stack(tangents, 1), [n, tangents.length, points.shape[1]]) as tf.Tensor3D };
  });
}

/** The most common label among the k nearest; a tie goes to the class whose nearest member is closest. */
export function vote(distances: Float64Array, labels: ArrayLike<number>, k: number): number {
  // The k smallest by insertion: k is small, the references many.
  const nearest: number[] = [];
  for (let i = 0; i < distances.length; i++) {
    if (nearest.length === k) {
      if (distances[i]! >= distances[nearest[k - 1]!]!) continue;
      nearest.pop();
    }
    let at = nearest.length;
    while (at > 0 && distances[nearest[at - 1]!]! > distances[i]!) at--;
    nearest.splice(at, 0, i);
  }
  const counts = new Map<number, number>();
  for (const index of nearest) counts.set(labels[index]!, (counts.get(labels[index]!) ?? 0) + 1);
  const most = Math.max(...counts.values());
  return labels[nearest.find((index) => counts.get(labels[index]!) === most)!]!;
}
