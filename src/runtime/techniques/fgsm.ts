import type { Technique } from "../train/technique.js";
import { adversarialTraining } from "./adversarial-training.js";
import { fgsmAttack } from "./input-attacks.js";

export interface FgsmOptions {
  /** Max-norm size ε of the perturbation, in input units. */
  eps: number;
  /** Share w of the adversarial loss in the total. */
  weight: number;
}

/** §7.13, Goodfellow et al. (2015): trains on a mix of clean and fast-gradient-sign examples. */
export function fgsm(options: FgsmOptions): Technique {
  const { eps, weight } = options;
  return adversarialTraining({
    label: `fgsm(eps: ${eps}, weight: ${weight})`,
    attackName: `fgsm(eps: ${eps})`,
    weight,
    attack: (range) => fgsmAttack(eps, range),
  });
}
