import type * as tf from "@tensorflow/tfjs";
import type { Model } from "../model/model.js";

/** The `on` list of a clause: parameter keys (`h1.kernel`), already expanded from globs by the compiler. */
export interface OnParams {
  on: readonly string[];
}

/** The model's variables a clause names; an unknown name means the code and the model disagree. */
export function resolveParams(model: Model, names: readonly string[], label: string): tf.Variable[] {
  return names.map((name) => {
    const variable = model.params.get(name);
    if (!variable) {
      throw new Error(`${label}: model ${model.name} has no parameter ${name} (it has ${[...model.params.keys()].join(", ")})`);
    }
    return variable;
  });
}

/** Every axis but the last: a unit's incoming weights (Keras's default for norm constraints). */
export function incomingAxes(rank: number): number[] {
  return Array.from({ length: Math.max(rank - 1, 1) }, (_, i) => i);
}
