import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";
import { incomingAxes, type OnParams } from "./parameters.js";
import { norms, projection } from "./projection.js";

/** §7.2: every unit's incoming weights rescaled to norm 1. */
export function unitnorm(options: OnParams & { axis?: readonly number[] }): Technique {
  return projection("unitnorm()", options, (w) => tf.div(w, tf.maximum(norms(w, options.axis ? [...options.axis] : incomingAxes(w.rank)), 1e-12)));
}
