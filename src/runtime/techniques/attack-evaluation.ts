import * as tf from "@tensorflow/tfjs";
import type { DataSplit } from "../data/dataset.js";
import type { Metrics } from "../run/history.js";
import { deriveSeed } from "../random.js";
import { disposeBatch, gatherBatch } from "../train/batches.js";
import { evaluateSplit } from "../train/evaluate.js";
import type { FinishContext } from "../train/technique.js";
import type { Attack } from "./input-attacks.js";

/** Rows attacked at once: each needs a forward and backward pass per attack step. */
const ATTACK_BATCH = 500;

/**
 * The test split's metrics on clean inputs and on inputs the attack built
 * against the final model's predictions (the val split when there is no
 * test split): `{ "test (clean)": …, "test under fgsm(eps: 0.1)": … }`.
 */
export function metricsUnderAttack(context: FinishContext, attack: Attack, description: string): Record<string, Metrics> {
  const split = context.data.splits.test ?? context.data.splits.val;
  if (!split) return {};
  const attacked = attackedSplit(context, split, attack);
  try {
    return {
      [`${split.name} (clean)`]: evaluateSplit(context.predict, context.data, split, context.tasks),
      [`${split.name} under ${description}`]: evaluateSplit(context.predict, context.data, attacked, context.tasks),
    };
  } finally {
    attacked.x.dispose();
  }
}

/** The split with every input replaced by its adversarial version; the targets stay the clean ones. */
function attackedSplit({ data, tasks, predict }: FinishContext, split: DataSplit, attack: Attack): DataSplit {
  const chunks: tf.Tensor[] = [];
  for (let start = 0; start < split.rows; start += ATTACK_BATCH) {
    const rows = Int32Array.from({ length: Math.min(ATTACK_BATCH, split.rows - start) }, (_, i) => start + i);
    const batch = gatherBatch(data, split, rows);
    const lossAt = (x: tf.Tensor) => {
      const layers = predict(x);
      return tf.addN(tasks.map((task) => tf.mul(task.weight, tf.mean(task.loss(layers.get(task.output)!, batch.targets[task.target]!))))) as tf.Scalar;
    };
    chunks.push(attack(lossAt, batch.x, deriveSeed(0, "attack", split.name, start)));
    disposeBatch(batch);
  }
  const x = tf.concat(chunks);
  tf.dispose(chunks);
  return { ...split, x };
}
