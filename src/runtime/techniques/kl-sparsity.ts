import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";
import { checkLayers, type OnLayers } from "./layer-outputs.js";

/** Keeps log finite when a unit's mean activation reaches 0 or 1. */
const MARGIN = 1e-6;

/**
 * §7.10, the sparse autoencoder's penalty (Ng 2011): β·Σⱼ KL(ρ ‖ ρ̂ⱼ), where
 * ρ̂ⱼ is unit j's mean activation over the batch and ρ the target rate.
 * Every output value of a layer counts as a unit (each position of a conv
 * map too).
 */
export function klSparsity(options: OnLayers & { target: number; weight: number }): Technique {
  const rho = options.target;
  return {
    label: `kl_sparsity(target: ${rho}, weight: ${options.weight})`,
    attach: ({ model }) => checkLayers(model, options.on, "kl_sparsity"),
    lossTerm: (pass) => tf.mul(options.weight, tf.addN(options.on.map((name) => bernoulliKl(rho, tf.mean(pass.layers.get(name)!, 0))))),
  };
}

/** Σⱼ KL(ρ ‖ ρ̂ⱼ) between Bernoulli rates: ρ·log(ρ/ρ̂) + (1 − ρ)·log((1 − ρ)/(1 − ρ̂)). */
export function bernoulliKl(rho: number, rates: tf.Tensor): tf.Scalar {
  const rhoHat = tf.clipByValue(rates, MARGIN, 1 - MARGIN);
  const on = tf.mul(rho, tf.log(tf.div(rho, rhoHat)));
  const off = tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, rhoHat))));
  return tf.sum(tf.add(on, off));
}
