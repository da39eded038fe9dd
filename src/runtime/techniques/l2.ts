import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";
import { resolveParams, type OnParams } from "./parameters.js";

/** §7.1: adds α·Σw² over the listed parameters to the loss. */
export function l2(alpha: number, options: OnParams): Technique {
  let params: tf.Variable[] = [];
  return {
    label: `l2(${alpha})`,
    attach: ({ model }) => void (params = resolveParams(model, options.on, "l2")),
    parameterPenalty: true,
    lossTerm: () => tf.mul(alpha, tf.addN(params.map((w) => tf.sum(tf.square(w))))),
  };
}
