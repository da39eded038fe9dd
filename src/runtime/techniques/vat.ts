import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "../random.js";
import type { ForwardPass, Technique } from "../train/technique.js";
import type { Task } from "../train/tasks.js";
import { detached } from "./detach.js";
import { logProbabilities, unlabeledTechnique, type UnlabeledOptions } from "./unlabeled.js";
import { adversarialDirection } from "./vat-direction.js";

export interface VatOptions extends UnlabeledOptions {
  /** L2 norm ε of the adversarial perturbation, per example. */
  eps: number;
  /** Size ξ of the power iteration's finite step. */
  xi: number;
  /** Power-iteration steps. */
  iterations: number;
}

/**
 * §7.6, virtual adversarial training (Miyato et al. 2018): per classify
 * task, w(t)·(1/n′)·Σ KL(p(·|x′) ‖ p(·|x′ + r_adv)), r_adv = ε times the
 * direction the power iteration finds. p(·|x′) and r_adv are constants:
 * only the perturbed pass is differentiated. Every pass runs the model as
 * at inference (dropout and noise layers off, whatever other clauses do),
 * so the divergence is a function of r alone, 0 at r = 0 as the power
 * iteration assumes, and the term smooths the model that will predict.
 */
export function vat(options: VatOptions): Technique {
  const { eps, xi, iterations, weight, using } = options;
  return unlabeledTechnique(`vat(eps: ${eps}, xi: ${xi}, weight: ${weight}) using ${using}`, options, "classify", (pass, step, x, tasks) => {
    const divergence = virtualDivergence(pass, tasks, x);
    const start = tf.randomNormal(x.shape, 0, 1, "float32", deriveSeed(step.seed, "vat", "start"));
    const rAdv = detached(tf.mul(eps, adversarialDirection((r) => tf.sum(divergence(r)), start, xi, iterations)));
    return tf.mean(divergence(rAdv));
  });
}

/** r ↦ per-example Σ_tasks KL(p(·|x) ‖ p(·|x + r)), with p(·|x) from a pass made once and held constant, every pass in inference mode. */
function virtualDivergence(pass: ForwardPass, tasks: readonly Task[], x: tf.Tensor): (r: tf.Tensor) => tf.Tensor1D {
  const clean = pass.forward(x, { training: false });
  const cleanLogP = tasks.map((task) => detached(logProbabilities(task, clean.get(task.output)!)));
  return (r) => {
    const perturbed = pass.forward(tf.add(x, r), { training: false });
    const terms = tasks.map((task, i) => klDivergence(cleanLogP[i]!, logProbabilities(task, perturbed.get(task.output)!)));
    return tf.addN(terms) as tf.Tensor1D;
  };
}

/** KL(p ‖ q) = Σₖ pₖ·(log pₖ − log qₖ) per example, from log-probabilities [n, K]. */
export function klDivergence(logP: tf.Tensor, logQ: tf.Tensor): tf.Tensor1D {
  return tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), -1) as tf.Tensor1D;
}
