import * as tf from "@tensorflow/tfjs";
import type { LayerDef } from "../layer.js";
import { identity, type LayerOptions } from "./options.js";
import { expectRank } from "./shapes.js";

/** Each channel's mean over the whole image: h×w×c becomes c. */
export function globalAvgpool(options: LayerOptions = {}): LayerDef {
  return globalPool("global_avgpool", options, (x) => tf.mean(x, [1, 2]), (name) => tf.layers.globalAveragePooling2d({ name }));
}

/** Each channel's largest value over the whole image: h×w×c becomes c. */
export function globalMaxpool(options: LayerOptions = {}): LayerDef {
  return globalPool("global_maxpool", options, (x) => tf.max(x, [1, 2]), (name) => tf.layers.globalMaxPooling2d({ name }));
}

function globalPool(kind: string, options: LayerOptions, op: (x: tf.Tensor) => tf.Tensor, twin: (name: string) => tf.layers.Layer): LayerDef {
  return {
    kind,
    ...identity(options),
    build(input) {
      expectRank(kind, input, 3);
      return { outputShape: [input[2]!] };
    },
    apply: (x) => op(x),
    standard: (name) => ({ layers: [twin(name)], weights: [] }),
  };
}
