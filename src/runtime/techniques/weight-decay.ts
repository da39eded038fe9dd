import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";
import { resolveParams, type OnParams } from "./parameters.js";

/** §7.1, decoupled (Loshchilov & Hutter): w ← w − η·λ·w after each optimizer step, outside the gradient. */
export function weightDecay(lambda: number, options: OnParams): Technique {
  let params: tf.Variable[] = [];
  return {
    label: `weight_decay(${lambda})`,
    attach: ({ model }) => void (params = resolveParams(model, options.on, "weight_decay")),
    afterStep: (_model, step) => {
      const keep = 1 - step.learningRate * lambda;
      for (const w of params) tf.tidy(() => w.assign(tf.mul(w, keep)));
    },
  };
}
