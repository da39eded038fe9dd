import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";
import { checkLayers, type OnLayers } from "./layer-outputs.js";

/** §7.10: adds α·(1/n)·Σₙ Σⱼ |hⱼ(xₙ)| for each named layer's activations h: a sparse representation. */
export function activityL1(alpha: number, options: OnLayers): Technique {
  return {
    label: `activity_l1(${alpha})`,
    attach: ({ model }) => checkLayers(model, options.on, "activity_l1"),
    lossTerm: (pass) => {
      const perLayer = options.on.map((name) => {
        const h = pass.layers.get(name)!;
        return tf.div(tf.sum(tf.abs(h)), h.shape[0] ?? 1);
      });
      return tf.mul(alpha, tf.addN(perLayer));
    },
  };
}
