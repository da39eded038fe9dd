import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";

/** Each attach makes variables of its own; tfjs variable names must be unique in the process. */
let attached = 0;

/**
 * §7.7, Kendall, Gal & Cipolla (2018): one learned log-variance sᵢ per
 * task, trained with the model, and the objective Σᵢ exp(−sᵢ)·Lᵢ + sᵢ in
 * place of the fixed Σᵢ weightᵢ·Lᵢ. A task whose loss stays large gets a
 * large sᵢ, i.e. a small weight exp(−sᵢ); the +sᵢ keeps sᵢ from growing
 * without bound (at the optimum exp(−sᵢ) = 1/Lᵢ). Every sᵢ starts at 0.
 */
export function uncertaintyWeighting(): Technique {
  let logVariances = new Map<string, tf.Variable>();
  return {
    label: "uncertainty_weighting()",
    attach: ({ tasks }) => {
      const run = attached++;
      tf.dispose([...logVariances.values()]);
      logVariances = new Map(tasks.map((task) => [task.name, tf.variable(tf.scalar(0), true, `uncertainty_weighting_${run}/${task.name}`)]));
    },
    variables: () => [...logVariances.values()],
    weighTasks: (losses, tasks) =>
      tf.addN(
        tasks.map((task) => {
          const s = logVariances.get(task.name)!;
          return tf.add(tf.mul(tf.exp(tf.neg(s)), losses.get(task.name)!), s);
        }),
      ) as tf.Scalar,
    finalMetrics: () => ({ uncertainty_weighting: learnedWeights(logVariances) }),
    saveState: () => ({ values: [...logVariances.keys()], tensors: logVariances }),
    loadState: ({ tensors }) => {
      for (const [name, value] of tensors ?? []) logVariances.get(name)?.assign(value);
    },
  };
}

/** Each task's learned sᵢ and the weight exp(−sᵢ) it gives that task's loss. */
function learnedWeights(logVariances: ReadonlyMap<string, tf.Variable>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [task, variable] of logVariances) {
    const s = variable.dataSync()[0]!;
    result[`${task}_log_variance`] = s;
    result[`${task}_weight`] = Math.exp(-s);
  }
  return result;
}
