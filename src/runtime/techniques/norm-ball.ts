import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";
import type { OnParams } from "./parameters.js";
import { norms, projection } from "./projection.js";

/** §7.2: the whole parameter scaled back into the L2 ball of radius k: w ← w·min(1, k/‖w‖). */
export function normBall(k: number, options: OnParams): Technique {
  return projection(`norm_ball(${k})`, options, (w) => {
    const axes = Array.from({ length: w.rank }, (_, i) => i);
    return tf.mul(w, tf.minimum(1, tf.div(k, tf.maximum(norms(w, axes), 1e-12))));
  });
}
