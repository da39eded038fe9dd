import * as tf from "@tensorflow/tfjs";
import type { ForwardPass, StepInfo, Technique } from "../train/technique.js";
import type { Task } from "../train/tasks.js";

/**
 * What the semi-supervised terms (§7.6) share: their common options, the
 * ramp-up of their weight, the unlabeled batch of the step, and class
 * log-probabilities from a classify task's output.
 */

export type RampShape = "gaussian" | "linear";

export interface UnlabeledOptions {
  /** Multiplier of the term once ramped up. */
  weight: number;
  /** Epochs over which the weight rises from (nearly) 0; 0 applies it fully from the start. */
  ramp: number;
  /** How it rises: exp(−5(1 − t)²) (Laine & Aila 2017) or linearly. */
  rampShape: RampShape;
  /** The split whose inputs the term reads (`using digits.unlabeled` → `unlabeled`). */
  using: string;
}

/**
 * The catalog's ramp-up: w(t) = weight·exp(−5(1 − t)²) (gaussian) or
 * weight·t (linear), t = min(1, epochs completed / ramp), the epochs
 * completed being those before this step's (`epoch` is 1-based).
 */
export function rampedWeight(weight: number, ramp: number, epoch: number, shape: RampShape): number {
  if (ramp <= 0) return weight;
  const t = Math.min(1, (epoch - 1) / ramp);
  return weight * (shape === "linear" ? t : Math.exp(-5 * (1 - t) ** 2));
}

/** The inputs of this step's batch from `split`, which the trainer draws because the technique `uses` it. */
export function unlabeledInputs(pass: ForwardPass, split: string, label: string): tf.Tensor {
  const x = pass.batch.extra?.get(split);
  if (!x) throw new Error(`${label}: this step's batch brings no inputs from split "${split}" (did a batch transform drop \`extra\`?)`);
  return x;
}

/** The classify tasks a term reads; it needs at least one (the checker makes sure a spec has one). */
export function classifyTasks(tasks: readonly Task[], label: string): Task[] {
  const found = tasks.filter((task) => task.kind === "classify");
  if (found.length === 0) throw new Error(`${label} needs a classify task`);
  return found;
}

/** log p(k | x) from a classify task's output: logits unless the task scores probabilities already (a softmax output layer). */
export function logProbabilities(task: Task, output: tf.Tensor): tf.Tensor {
  return task.fromLogits === false ? tf.log(tf.clipByValue(output, 1e-7, 1)) : tf.logSoftmax(output);
}

/** What a semi-supervised term computes each step, before its ramped weight. */
export type UnlabeledTerm = (pass: ForwardPass, step: StepInfo, x: tf.Tensor, tasks: readonly Task[]) => tf.Scalar;

/**
 * A §7.6 technique: it reads a batch of the `using` split each step, scores
 * the tasks it applies to (every task, or the classify tasks only), and
 * adds w(t) times its term, skipping the work while the ramp holds w at 0.
 */
export function unlabeledTechnique(
  label: string,
  options: UnlabeledOptions,
  appliesTo: "classify" | "all",
  term: UnlabeledTerm,
): Technique {
  const { weight, ramp, rampShape, using } = options;
  let tasks: readonly Task[] = [];
  return {
    label,
    uses: [using],
    attach: (setup) => void (tasks = appliesTo === "classify" ? classifyTasks(setup.tasks, label) : setup.tasks),
    lossTerm: (pass, step) => {
      const w = rampedWeight(weight, ramp, step.epoch, rampShape);
      if (w === 0) return tf.scalar(0);
      return tf.mul(w, term(pass, step, unlabeledInputs(pass, using, label), tasks)) as tf.Scalar;
    },
  };
}
