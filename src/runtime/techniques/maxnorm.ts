import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";
import { incomingAxes, type OnParams } from "./parameters.js";
import { norms, projection } from "./projection.js";

/** §7.2: wⱼ ← wⱼ·min(1, c/‖wⱼ‖) for each unit's incoming weights (Srivastava et al. 2014). */
export function maxnorm(c: number, options: OnParams & { axis?: readonly number[] }): Technique {
  return projection(`maxnorm(${c})`, options, (w) => {
    const norm = norms(w, options.axis ? [...options.axis] : incomingAxes(w.rank));
    return tf.mul(w, tf.minimum(1, tf.div(c, tf.maximum(norm, 1e-12))));
  });
}
