import type { Technique } from "../train/technique.js";
import { adversarialTraining } from "./adversarial-training.js";
import { pgdAttack } from "./input-attacks.js";

export interface PgdTrainingOptions {
  /** Max-norm radius ε of the perturbation ball, in input units. */
  eps: number;
  steps: number;
  /** Size of each attack step; absent means 2.5·ε/steps (Madry et al.). */
  step?: number;
  /** Share w of the adversarial loss in the total. */
  weight: number;
  randomStart: boolean;
}

/** §7.13, Madry et al. (2018): trains on examples found by projected gradient ascent in the ε-ball. */
export function pgd(options: PgdTrainingOptions): Technique {
  const { eps } = options;
  const { steps, weight, randomStart } = options;
  const step = options.step ?? (2.5 * eps) / steps;
  const attackName = `pgd(eps: ${eps}, steps: ${steps}, step: ${Number(step.toPrecision(6))}${randomStart ? "" : ", random_start: false"})`;
  return adversarialTraining({
    label: `${attackName.slice(0, -1)}, weight: ${weight})`,
    attackName,
    weight,
    attack: (range) => pgdAttack({ eps, steps, step, randomStart }, range),
  });
}
