import * as tf from "@tensorflow/tfjs";
import type { Task } from "../train/tasks.js";

/**
 * Merging the predictions of several models (bagging members, snapshots)
 * into one, output layer by output layer. Only the layers tasks score are
 * merged.
 */

export type Combine = "average" | "vote";

/** Each output layer a task scores, and for class outputs whether they are logits. */
export interface ScoredOutputs {
  /** Layer → true for class scores given as logits, false for probabilities; absent for numbers. */
  classes: ReadonlyMap<string, boolean>;
  all: readonly string[];
}

export function scoredOutputs(tasks: readonly Task[]): ScoredOutputs {
  const classes = new Map(tasks.filter((task) => task.kind === "classify").map((task) => [task.output, task.fromLogits ?? true] as const));
  return { classes, all: [...new Set(tasks.map((task) => task.output))] };
}

/** A vote's share gets this much of the members' mean probability, so ties go to the likelier class and no class has probability 0. */
export const VOTE_TIE_BREAK = 0.01;

/**
 * `average`: the mean of class probabilities, and of other outputs as they
 * are. `vote`: for class outputs, each member's top class counts one vote
 * and the output is the share of votes (ties broken by mean probability);
 * numbers are averaged, as a vote means nothing for them. Class outputs
 * come back in the form the task reads: log-probabilities for logits,
 * which softmax maps back to the combined probabilities.
 */
export function combinePredictions(predictions: ReadonlyArray<ReadonlyMap<string, tf.Tensor>>, outputs: ScoredOutputs, combine: Combine): Map<string, tf.Tensor> {
  const combined = new Map<string, tf.Tensor>();
  for (const name of outputs.all) {
    const each = predictions.map((prediction) => {
      const output = prediction.get(name);
      if (!output) throw new Error(`an ensemble member predicted no \`${name}\``);
      return output;
    });
    const fromLogits = outputs.classes.get(name);
    if (fromLogits === undefined) {
      combined.set(name, mean(each));
      continue;
    }
    const probabilities = each.map((output) => (fromLogits ? tf.softmax(output) : output));
    const meanProbability = mean(probabilities);
    const result = combine === "vote" ? voteShares(probabilities, meanProbability) : meanProbability;
    combined.set(name, fromLogits ? tf.log(tf.maximum(result, 1e-12)) : result);
  }
  return combined;
}

function mean(tensors: readonly tf.Tensor[]): tf.Tensor {
  return tensors.length === 1 ? tensors[0]! : tf.div(tf.addN(tensors as tf.Tensor[]), tensors.length);
}

function voteShares(probabilities: readonly tf.Tensor[], meanProbability: tf.Tensor): tf.Tensor {
  const classes = meanProbability.shape[meanProbability.shape.length - 1]!;
  const votes = tf.addN(probabilities.map((p) => tf.oneHot(tf.argMax(p, -1), classes).toFloat()));
  return tf.div(tf.add(votes, tf.mul(VOTE_TIE_BREAK, meanProbability)), probabilities.length + VOTE_TIE_BREAK);
}
