import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";
import { expectIdentical } from "./identical-values.js";
import { setLearningRate } from "../../src/runtime/train/optimizers.js";
import { activeKernelWorkers, untilWorkersHelp } from "./worker-help.js";

/** Seeded values in [-1, 1). */
export function seededValues(size: number, seed: number): Float32Array {
  return tf.tidy(() => tf.randomUniform([size], -1, 1, "float32", seed).dataSync() as Float32Array);
}

/** One step's gradients by name, for the variables in the same order. */
export type StepGradients = Array<{ name: string; tensor: tf.Tensor }>;

/**
 * Three steps of `optimizer` on variables of `sizes`, named from `prefix`,
 * with seeded gradients, the learning rate changed before the third: the
 * variables' values after each step. `apply` hands a step's gradients to
 * the optimizer: its own applyGradients unless given.
 */
export function trajectory(
  optimizer: tf.Optimizer,
  sizes: readonly number[],
  prefix: string,
  apply: (gradients: StepGradients, variables: readonly tf.Variable[]) => void = (gradients) => optimizer.applyGradients(gradients),
): Float32Array[] {
  const variables = sizes.map((size, i) => tf.variable(tf.tensor1d(seededValues(size, i + 1)), true, `${prefix}-${i}`));
  const seen: Float32Array[] = [];
  for (let step = 0; step < 3; step++) {
    if (step === 2) setLearningRate(optimizer, 0.03);
    const gradients = variables.map((v, i) => ({ name: v.name, tensor: tf.tensor1d(seededValues(sizes[i]!, 100 * step + i)) }));
    apply(gradients, variables);
    tf.dispose(gradients.map((g) => g.tensor));
    for (const variable of variables) seen.push(variable.dataSync() as Float32Array);
  }
  return seen;
}

/**
 * Runs `trajectory` (an optimizer's variable values after each of its
 * steps, variables named from the prefix) with a fused optimizer and with
 * tfjs's own, from `make`, and expects the same values, and the same state
 * under the same names so that checkpoints read either, bit for bit. On
 * two threads or more, again until a kernel worker took part: the split
 * needs a variable of 64K values or more.
 */
export async function expectTfjsUpdates(threads: number, make: () => [fused: tf.Optimizer, tfjs: tf.Optimizer], trajectory: (optimizer: tf.Optimizer, prefix: string) => Float32Array[]): Promise<void> {
  let attempt = 0;
  const compare = async () => {
    attempt++;
    const [fused, theirs] = make();
    const ours = trajectory(fused, `fused-${threads}-${attempt}`);
    const reference = trajectory(theirs, `tfjs-${threads}-${attempt}`);
    ours.forEach((values, i) => expectIdentical(values, reference[i]!, `variable values ${i}`));
    const [ourState, theirState] = [await stateOf(fused), await stateOf(theirs)];
    expect(ourState.map((w) => w.name.replace("fused", "tfjs"))).toEqual(theirState.map((w) => w.name));
    ourState.forEach((weight, i) => expectIdentical(weight.values, theirState[i]!.values, weight.name));
    fused.dispose();
    theirs.dispose();
  };
  if (threads === 1) await compare();
  else await untilWorkersHelp(activeKernelWorkers(), compare);
}

async function stateOf(optimizer: tf.Optimizer): Promise<Array<{ name: string; values: Float32Array }>> {
  const weights = await optimizer.getWeights();
  return weights.map(({ name, tensor }) => ({ name, values: tensor.dataSync() as Float32Array }));
}
