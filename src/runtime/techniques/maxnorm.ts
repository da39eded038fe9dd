import * as tf from "@tensorflow/tfjs";
import { MAX_NORM } from "../backend/wasm-kernels/max-norm.js";
import type { Technique } from "../train/technique.js";
import { incomingAxes, type OnParams } from "./parameters.js";
import { norms, projection } from "./projection.js";
import { leadAndLeaveAnAxis } from "./sum-of-squares.js";

/**
 * §7.2: wⱼ ← wⱼ·min(1, c/‖wⱼ‖) for each unit's incoming weights (Srivastava
 * et al. 2014); in one kernel where the backend has it
 * (wasm-kernels/max-norm.ts) and the norms run over leading axes.
 */
export function maxnorm(c: number, options: OnParams & { axis?: readonly number[] }): Technique {
  return projection(`maxnorm(${c})`, options, (w) => {
    const axes = options.axis ? [...options.axis] : incomingAxes(w.rank);
    if (w.dtype === "float32" && leadAndLeaveAnAxis(w, axes) && tf.getKernel(MAX_NORM, tf.getBackend()) !== undefined) {
      return tf.engine().runKernel(MAX_NORM, { x: w }, { maxNorm: c, leadingAxes: axes.length }) as tf.Tensor;
    }
    return tf.mul(w, tf.minimum(1, tf.div(c, tf.maximum(norms(w, axes), 1e-12))));
  });
}
