import * as tf from "@tensorflow/tfjs";
import { rowKeys } from "../model/layers/row-dropout.js";
import { deriveSeed } from "../random.js";
import type { Predict, Technique } from "../train/technique.js";
import type { Task } from "../train/tasks.js";

/**
 * §7.12, Gal & Ghahramani (2016): predictions average `samples` passes with
 * dropout left on, each row's masks drawn from its own input values, so a
 * row predicts the same in any batch. Class outputs are averaged as probabilities and handed
 * on as their logarithm, which softmax maps back to the averaged
 * probabilities; other outputs are averaged as they are.
 */
export function mcDropout(options: { samples: number }): Technique {
  const { samples } = options;
  let classOutputs = new Set<string>();
  return {
    label: `mc_dropout(samples: ${samples})`,
    exportedPrediction: () => ({ kind: "sampling", samples }),
    attach: ({ tasks }) => void (classOutputs = new Set(tasks.filter((task: Task) => task.kind === "classify").map((task) => task.output))),
    wrapPrediction: (_plain, model): Predict => (x) => {
      const sums = new Map<string, tf.Tensor>();
      const values = x.dtype === "float32" ? (x.dataSync() as Float32Array) : Float32Array.from(x.dataSync());
      const dropoutAtPrediction = { rowKeys: rowKeys(values, x.shape[0]!) };
      for (let sample = 0; sample < samples; sample++) {
        const { layers } = model.forward(x, { training: false, dropoutAtPrediction, seed: deriveSeed(0, "mc_dropout", sample) });
        for (const [name, output] of layers) {
          const value = classOutputs.has(name) ? tf.softmax(output) : output;
          sums.set(name, sums.has(name) ? tf.add(sums.get(name)!, value) : value);
        }
      }
      return new Map(
        [...sums].map(([name, sum]) => {
          const mean = tf.div(sum, samples);
          return [name, classOutputs.has(name) ? tf.log(tf.maximum(mean, 1e-12)) : mean];
        }),
      );
    },
  };
}
