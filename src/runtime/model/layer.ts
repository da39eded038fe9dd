import type * as tf from "@tensorflow/tfjs";

/** How a forward pass runs: training turns dropout and noise on; `seed` makes their randomness reproducible. */
export interface ForwardOptions {
  training: boolean;
  /** Keep dropout on outside training (Monte-Carlo dropout). */
  dropoutAtPrediction?: boolean;
  /** Seed for this pass's random masks and noise. */
  seed: number;
}

/** Creates a parameter's initial value, seeded. */
export type Initializer = (shape: readonly number[], fanIn: number, fanOut: number) => tf.Tensor;

/** One layer of a model, as the emitted code declares it (`dense(512, { name: "h1", activation: "relu" })`). */
export interface LayerDef {
  kind: string;
  /** The name it has in the spec, if any. */
  name?: string;
  /** The layer whose output it reads (`from t2`); default the previous layer. */
  from?: string;
  /** Creates this layer's parameters for an input shape; returns the output shape. */
  build(inputShape: readonly number[], init: (name: string, shape: readonly number[], fanIn: number, fanOut: number) => tf.Variable): readonly number[];
  /** Applies the layer; `params` holds the variables `build` created, by parameter name. */
  apply(x: tf.Tensor, params: Readonly<Record<string, tf.Tensor>>, options: ForwardOptions): tf.Tensor;
}
