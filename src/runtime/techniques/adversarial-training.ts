import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "../random.js";
import type { ForwardPass, InputPerturbation, Technique } from "../train/technique.js";
import { metricsUnderAttack } from "./attack-evaluation.js";
import type { Attack, InputRange } from "./input-attacks.js";
import { differentiate, fromCleanPass, type InputGradient } from "../train/input-gradient.js";

export interface AdversarialTrainingSpec {
  /** The clause as written, for messages. */
  label: string;
  /** The attack alone, naming the adversarial results (`fgsm(eps: 0.1)`). */
  attackName: string;
  /** Share w of the adversarial loss: (1 − w)·L(x) + w·L(x̃). */
  weight: number;
  /** The attack, once the data's valid input range is known. */
  attack(range: InputRange): Attack;
}

/**
 * §7.13: each training batch is attacked with the model as it stands (same
 * parameters, dropout masks and noise as the clean pass) and the loss on
 * the adversarial batch is mixed in. After training, the test split is
 * measured clean and under the same attack.
 */
export function adversarialTraining(spec: AdversarialTrainingSpec): Technique {
  let attack: Attack | undefined;
  const attached = () => {
    if (!attack) throw new Error(`${spec.label} was used before training attached it`);
    return attack;
  };
  const inputPerturbation: InputPerturbation = {
    weight: spec.weight,
    perturb: (lossAt, x, gradient, step) => attached()(lossAt, x, deriveSeed(step.seed, "adversarial"), gradient),
  };
  return {
    label: spec.label,
    attach: ({ data }) => void (attack = spec.attack(data.inputRange)),
    inputPerturbation,
    lossTerm: (pass, step) => {
      const lossAt = (x: tf.Tensor) => pass.lossOf(pass.forward(x));
      // L(x) with the tasks' fixed weights, the weighting the attack's L(x̃) uses too.
      const clean = pass.lossOf(pass.layers);
      const adversarial = inputPerturbation.perturb(lossAt, pass.batch.x, cleanPassGradient(pass, clean), step);
      // The objective already holds L(x) once, so w·(L(x̃) − L(x)) makes it (1 − w)·L(x) + w·L(x̃).
      return tf.mul(spec.weight, tf.sub(lossAt(adversarial), clean));
    },
    finalMetrics: (context) => metricsUnderAttack(context, attached(), spec.attackName),
  };
}

/**
 * ∇ₓ L at the clean batch from the clean pass itself, which the pass
 * recorded with the same parameters, dropout masks and noise that a new
 * pass would draw, where it was recorded on a tape.
 */
function cleanPassGradient(pass: ForwardPass, clean: tf.Scalar): InputGradient {
  const fromPass = pass.inputGradient;
  return fromPass ? fromCleanPass(pass.batch.x, () => fromPass(clean)) : differentiate;
}
