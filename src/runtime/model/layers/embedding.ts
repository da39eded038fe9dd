import * as tf from "@tensorflow/tfjs";
import type { LayerDef } from "../layer.js";
import { identity, type LayerOptions } from "./options.js";
import { expectRank } from "./shapes.js";
import { uniform } from "./variables.js";

/** Keras's default embedding initializer: U(−0.05, 0.05). */
const EMBEDDING_LIMIT = 0.05;

/** Maps each id (0 … inputDim − 1) of the input vector to its learned row: n ids become n×outputDim. */
export function embedding(inputDim: number, outputDim: number, options: LayerOptions = {}): LayerDef {
  return {
    kind: "embedding",
    idRows: inputDim,
    ...identity(options),
    build(input) {
      expectRank("embedding", input, 1);
      return { outputShape: [input[0]!, outputDim], params: { embeddings: uniform([inputDim, outputDim], EMBEDDING_LIMIT) } };
    },
    // Inputs arrive as float32, like every dataset's; the ids are whole numbers.
    apply: (x, { params }) => tf.gather(params["embeddings"]!, tf.cast(x, "int32")),
    // Keras's Embedding casts its float inputs to int32 the same way.
    standard: (name) => ({ layers: [tf.layers.embedding({ inputDim, outputDim, name })], weights: ["embeddings"] }),
  };
}
