import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";

/** §7.5.1: training targets of every classification task become (1 − ε)·y + ε/K. */
export function labelSmoothing(epsilon: number): Technique {
  let classTargets: string[] = [];
  return {
    label: `label_smoothing(${epsilon})`,
    attach: ({ tasks }) => void (classTargets = [...new Set(tasks.filter((task) => task.kind === "classify").map((task) => task.target))]),
    transformBatch: (batch) => {
      const targets = { ...batch.targets };
      for (const name of classTargets) {
        const y = targets[name]!;
        const classes = y.shape[y.rank - 1]!;
        targets[name] = tf.add(tf.mul(y, 1 - epsilon), epsilon / classes);
      }
      return { ...batch, targets };
    },
  };
}
