import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";
import type { OnParams } from "./parameters.js";
import { projection } from "./projection.js";

/** §7.2: negative weights set to zero, the projection onto the non-negative orthant. */
export function nonneg(options: OnParams): Technique {
  return projection("nonneg()", options, (w) => tf.relu(w));
}
