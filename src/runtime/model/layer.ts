import type * as tf from "@tensorflow/tfjs";
import type { ActivationName } from "./activations.js";

/** How a forward pass runs: training turns dropout and noise on; `seed` makes their randomness reproducible. */
export interface ForwardOptions {
  training: boolean;
  /**
   * Keep dropout on outside training (Monte-Carlo dropout), each input row
   * masked as its key (`rowKeys` of its input values) draws it.
   */
  dropoutAtPrediction?: { rowKeys: Uint32Array };
  /** Seed for this pass's random masks and noise. */
  seed: number;
  /**
   * Whether a training pass moves batch norm's moving averages (default
   * true). Extra passes over the same batch (adversarial, VAT, consistency)
   * set it to false so one step counts once.
   */
  updateMovingStats?: boolean;
  /** Tensors to use instead of the model's own parameters, by key `LAYER.PARAM` (weight noise, tied weights). */
  params?: ReadonlyMap<string, tf.Tensor>;
}

/** How a variable's initial value is drawn. */
export type Initializer =
  /** Keras's default for kernels: U(−l, l), l = √(6 / (fan_in + fan_out)), the fans computed from the shape as Keras does. */
  | { kind: "glorot_uniform" }
  | { kind: "uniform"; limit: number }
  | { kind: "constant"; value: number };

export interface VariableSpec {
  shape: readonly number[];
  init: Initializer;
}

/** What a layer becomes on a given input shape. */
export interface LayerBuild {
  outputShape: readonly number[];
  /** Trainable parameters by name (`kernel`, `bias`, `gamma`, …). */
  params?: Readonly<Record<string, VariableSpec>>;
  /** Non-trainable state by name (batch norm's moving averages). */
  state?: Readonly<Record<string, VariableSpec>>;
}

/** What one application of a layer sees. */
export interface LayerCall {
  /** The layer's parameters by name: its variables, or the tensors `ForwardOptions.params` put in their place. */
  params: Readonly<Record<string, tf.Tensor>>;
  state: Readonly<Record<string, tf.Variable>>;
  options: ForwardOptions;
  /** This layer's seed in this pass, from `options.seed` and its position, so no two layers draw the same mask. */
  seed: number;
}

/**
 * One layer of a model, as the emitted code declares it
 * (`dense(512, { name: "h1", activation: "relu" })`). It holds no tensors:
 * the Model creates and owns the variables, so one list of layers can build
 * several models (bagging).
 */
export interface LayerDef {
  /** The catalog's layer name (`dense`, `depthwise_conv2d`, …). */
  kind: string;
  /** The name it has in the spec, if any. */
  name?: string;
  /** The layer whose output it reads (`from t2`); default the previous layer. */
  from?: string;
  /** An embedding: its input values are row numbers of a table of this many rows. */
  idRows?: number;
  /** The elementwise activation it ends with, where it has one: closed forms of its Jacobian need it (`contractive`). */
  activation?: ActivationName;
  /** Its output shape, parameters and state for an input shape (batch axis left out); throws if the input does not fit. */
  build(inputShape: readonly number[]): LayerBuild;
  apply(x: tf.Tensor, call: LayerCall): tf.Tensor;
  /**
   * The stock TensorFlow.js layers that compute what this one computes at
   * inference, for export; absent when there are none.
   */
  standard?(name: string): StandardTwin;
}

/**
 * A layer's stock TensorFlow.js equivalent: one or more Keras layers
 * applied in turn (a dense layer with leaky ReLU is `Dense` then
 * `LeakyReLU`), the first taking this layer's parameters and state in the
 * order `setWeights` lists them.
 */
export interface StandardTwin {
  layers: readonly tf.layers.Layer[];
  /** Parameter and state names (`kernel`, `moving_mean`, …) in the first layer's weight order. */
  weights: readonly string[];
  /** Dropout's rate: Monte-Carlo prediction turns this layer on. */
  dropoutRate?: number;
}
