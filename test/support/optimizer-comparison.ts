import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";
import { expectIdentical } from "./identical-values.js";
import { activeKernelWorkers, untilWorkersHelp } from "./worker-help.js";

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
