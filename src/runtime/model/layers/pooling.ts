import * as tf from "@tensorflow/tfjs";
import type { LayerDef } from "../layer.js";
import { identity, type LayerOptions } from "./options.js";
import { expectRank, pair, slide, type Padding, type Pair } from "./shapes.js";

export interface PoolOptions extends LayerOptions {
  /** Window: `2` for 2×2 (the default), or `[height, width]`. */
  size?: number | readonly number[];
  /** Default: the window size, so windows do not overlap. */
  stride?: number | readonly number[];
  /** Default `valid`. */
  padding?: Padding;
}

/** Keeps each window's largest value, per channel. */
export function maxpool(options: PoolOptions = {}): LayerDef {
  return pool("maxpool", options, (x, size, stride, padding) => tf.maxPool(x, size, stride, padding), tf.layers.maxPooling2d);
}

/** Keeps each window's mean, per channel. */
export function avgpool(options: PoolOptions = {}): LayerDef {
  return pool("avgpool", options, (x, size, stride, padding) => tf.avgPool(x, size, stride, padding), tf.layers.averagePooling2d);
}

type PoolOp = (x: tf.Tensor4D, size: [number, number], stride: [number, number], padding: Padding) => tf.Tensor4D;

type PoolTwin = (args: { poolSize: Pair; strides: Pair; padding: Padding; name: string }) => tf.layers.Layer;

function pool(kind: string, options: PoolOptions, op: PoolOp, twin: PoolTwin): LayerDef {
  const size = pair(options.size ?? 2);
  const stride = options.stride === undefined ? size : pair(options.stride);
  const padding = options.padding ?? "valid";
  return {
    kind,
    ...identity(options),
    build(input) {
      expectRank(kind, input, 3);
      return { outputShape: [...slide(kind, input, size, stride, padding), input[2]!] };
    },
    apply: (x) => op(x as tf.Tensor4D, size, stride, padding),
    standard: (name) => ({ layers: [twin({ poolSize: size, strides: stride, padding, name })], weights: [] }),
  };
}
