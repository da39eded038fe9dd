import * as tf from "@tensorflow/tfjs";
import type { DataSplit } from "../data/dataset.js";
import type { Technique } from "../train/technique.js";
import { centralDifference } from "./directional-derivative.js";
import { tangentFields, type Along, type TangentFields } from "./tangent-fields.js";

/** Step h of the central difference along a tangent; tangents are about a pixel's worth of change, so 1% of one. */
export const TANGENT_PROP_STEP = 1e-2;
/** Examples per block when measuring a split after training. */
const EVALUATION_BLOCK = 250;

/** The outputs a pass computes for an input batch, in a fixed order. */
type Outputs = (x: tf.Tensor) => tf.Tensor[];

/**
 * §7.14, tangent propagation (Simard et al. 1992): adds
 * λ·mean over examples of Σᵢ ‖J_f(x)·vᵢ(x)‖², f every task's output and vᵢ
 * the tangent of each transform at the (augmented) training example. J·v is
 * a central difference of two training passes with this step's seed, so
 * dropout and noise are the same on both sides and cancel. After training
 * it reports the same sum, unweighted, as the mean over the test split
 * (validation when there is none): how much the outputs still move along
 * the tangents.
 */
export function tangentProp(weight: number, options: { along: readonly Along[] }): Technique {
  let field: TangentFields | undefined;
  let outputs: string[] = [];
  const outputsOf = (layers: ReadonlyMap<string, tf.Tensor>) => outputs.map((name) => layers.get(name)!);
  return {
    label: `tangent_prop(${weight}) along ${options.along.map((entry) => (typeof entry === "string" ? entry : entry.label)).join(", ")}`,
    attach({ model, tasks }) {
      field = tangentFields(options.along, model.inputShape, "tangent_prop");
      outputs = [...new Set(tasks.map((task) => task.output))];
    },
    lossTerm(pass) {
      const x = pass.batch.x;
      const squared = squaredDerivatives((z) => outputsOf(pass.forward(z)), field!, x);
      return tf.mul(weight / x.shape[0]!, squared) as tf.Scalar;
    },
    finalMetrics({ model, data }): Record<string, Record<string, number>> {
      const split = data.splits.test ? "test" : "val";
      const queries: DataSplit | undefined = data.splits[split];
      if (!queries) return {};
      const evaluate: Outputs = (z) => outputsOf(model.forward(z, { training: false, seed: 0 }).layers);
      let total = 0;
      for (let start = 0; start < queries.rows; start += EVALUATION_BLOCK) {
        const rows = Math.min(EVALUATION_BLOCK, queries.rows - start);
        total += tf.tidy(() => squaredDerivatives(evaluate, field!, tf.slice(queries.x, start, rows)).dataSync()[0]!);
      }
      return { tangent_prop: { [`${split}_sensitivity`]: total / queries.rows } };
    },
  };
}

/** Σ over the batch, the tangents and the outputs of (J_f(x)·v)², all tangents in one pair of passes over the batch repeated once per tangent. */
export function squaredDerivatives(outputs: Outputs, field: TangentFields, x: tf.Tensor): tf.Scalar {
  const tangents = field.tangents(x);
  const repeated = tf.concat(tangents.map(() => x), 0);
  const products = centralDifference(outputs, repeated, tf.concat(tangents, 0), TANGENT_PROP_STEP);
  return tf.addN(products.map((jv) => tf.sum(tf.square(jv)))) as tf.Scalar;
}
