import * as tf from "@tensorflow/tfjs";
import { combinePredictions, scoredOutputs, type ScoredOutputs } from "../ensemble/combine.js";
import { copyWeights, withWeights, type Weights } from "../ensemble/weights.js";
import type { Metrics } from "../run/history.js";
import { evaluateSplit } from "../train/evaluate.js";
import type { Predict, Technique, TechniqueState } from "../train/technique.js";

/**
 * §7.11, Huang et al. (2017): training runs `cycles` cosine learning-rate
 * cycles, each restarting at the scheduled rate η₀ and falling towards 0;
 * the weights at the end of each cycle are a snapshot, and predictions
 * average the snapshots (class probabilities, other outputs as they are).
 * The rate changes once per epoch.
 */
export function snapshotEnsemble(options: { cycles: number }): Technique {
  const { cycles } = options;
  let snapshots: Weights[] = [];
  let outputs: ScoredOutputs = { classes: new Map(), all: [] };
  // The loop asks for each epoch's rate before the epoch ends, so this is known by then.
  let plannedEpochs = 0;

  return {
    label: `snapshot_ensemble(cycles: ${cycles})`,
    perEpochCount: { technique: "snapshot_ensemble", argument: "cycles", count: cycles },
    attach: ({ tasks }) => void (outputs = scoredOutputs(tasks)),
    learningRate(scheduled, epoch, epochs) {
      plannedEpochs = epochs;
      return cyclicCosineRate(scheduled, epoch, epochs, cycles);
    },
    epochEnd(record, model) {
      if (record.phase === "train" && endsCycle(record.epoch, plannedEpochs, cycles)) snapshots.push(copyWeights(model));
    },
    wrapPrediction: (inner, model): Predict => (x) => {
      if (snapshots.length === 0) return inner(x);
      const predictions = snapshots.map((weights) => withWeights(model, weights, () => inner(x)));
      return combinePredictions(predictions, outputs, "average");
    },
    exportedPrediction: () => ({ kind: "weight_sets", sets: snapshots }),
    finalMetrics({ model, data, tasks }) {
      const split = data.splits["test"] ?? data.splits["val"];
      if (!split) return {};
      const plain: Predict = (x) => model.forward(x, { training: false, seed: 0 }).layers;
      const results: Record<string, Metrics> = {};
      snapshots.forEach((weights, index) => {
        results[`snapshot ${index + 1} (${split.name})`] = withWeights(model, weights, () => evaluateSplit(plain, data, split, tasks));
      });
      return results;
    },
    keptWeights: () => new Map(snapshots.map((weights, index) => [`snapshots/${index + 1}`, weights])),
    saveState: (): TechniqueState => ({
      values: { snapshots: snapshots.length },
      tensors: new Map(snapshots.flatMap((weights, index) => [...weights].map(([key, value]) => [`${index}/${key}`, value] as const))),
    }),
    loadState(state) {
      tf.dispose(snapshots.flatMap((weights) => [...weights.values()]));
      const count = (state.values as { snapshots: number }).snapshots;
      snapshots = Array.from({ length: count }, () => new Map());
      for (const [name, tensor] of state.tensors ?? []) {
        const slash = name.indexOf("/");
        snapshots[Number(name.slice(0, slash))]!.set(name.slice(slash + 1), tf.clone(tensor));
      }
    },
  };
}

/**
 * η for a 1-based epoch: cycles of epochs/cycles epochs each, the rate
 * falling from η₀ along half a cosine within each, η = (η₀/2)·(cos(π·τ) + 1)
 * with τ ∈ [0, 1) how far into its cycle the epoch starts.
 */
export function cyclicCosineRate(initial: number, epoch: number, epochs: number, cycles: number): number {
  const position = ((epoch - 1) * cycles) / epochs;
  const within = position - Math.floor(position);
  return (initial / 2) * (Math.cos(Math.PI * within) + 1);
}

/** Whether a cycle ends with this epoch: the last epoch, or the next one starts a new cycle. */
export function endsCycle(epoch: number, epochs: number, cycles: number): boolean {
  return epoch >= epochs || Math.floor((epoch * cycles) / epochs) > Math.floor(((epoch - 1) * cycles) / epochs);
}
