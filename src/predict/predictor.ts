import * as tf from "@tensorflow/tfjs";
import { METADATA_VERSION, type ModelMetadata, type OutputDescription } from "../shared/model-metadata.js";
import { InputError } from "./input-error.js";
import { describeOutput } from "./describe-output.js";
import { imageInput, tableInput, type Namer, type RawImage, type RawRow } from "./preprocess.js";
import { rowKeys } from "../runtime/model/layers/row-dropout.js";
import { samplingPass } from "./sampling.js";

/** One task's prediction for one example. */
export interface TaskPrediction {
  task: string;
  kind: OutputDescription["kind"];
  /** Classification: the likeliest class, and every class's probability in output order. */
  label?: string;
  probabilities?: Array<{ label: string; probability: number }>;
  /** Regression and reconstruction: the output values. */
  values?: number[];
  /** Monte-Carlo dropout: the standard deviation over passes of each probability (of a vote, each pass's vote share) or value, around its mean over the passes. */
  spread?: number[];
}

export type ExamplePrediction = TaskPrediction[];

const defaultRowName: Namer = (index) => `row ${index + 1}`;

/** Examples predicted at once: enough to keep the backend busy, few enough that a long input's tensors stay small. */
const ROWS_AT_ONCE = 4096;

/**
 * Predictions from an exported model: raw rows or images in, preprocessed
 * as in training, class names and probabilities out. Works the same in
 * Node and in a page: it needs only TensorFlow.js and the model.
 */
export class Predictor {
  readonly metadata: ModelMetadata;

  constructor(readonly model: tf.LayersModel) {
    this.metadata = readMetadata(model);
  }

  /**
   * Table rows by column name, in raw units; `columns` (a CSV header) lets a
   * missing column be named once, as missing from `source` (a file's path;
   * `the input` by default).
   */
  predictRows(rows: readonly RawRow[], options: { rowName?: Namer; columns?: readonly string[]; source?: string } = {}): ExamplePrediction[] {
    if (this.metadata.input.kind !== "table") throw new InputError(`the model reads ${this.inputText()}, not table rows`);
    const columns = options.columns && { names: options.columns, source: options.source ?? "the input" };
    return this.predictInputs(tableInput(rows, this.metadata.input, options.rowName ?? defaultRowName, columns), rows.length);
  }

  /** Decoded images (RGBA from PNG, JPEG or a canvas). */
  predictImages(images: readonly RawImage[], options: { imageName?: Namer } = {}): ExamplePrediction[] {
    if (this.metadata.input.kind !== "image") throw new InputError(`the model reads ${this.inputText()}, not images`);
    return this.predictInputs(imageInput(images, this.metadata.input, options.imageName ?? ((i) => `image ${i + 1}`)), images.length);
  }

  /**
   * Inputs already preprocessed, `count` examples of the model's input
   * shape, row-major: a batch of at most {@link ROWS_AT_ONCE} at a time, so
   * memory stays bounded however long the input. Monte-Carlo dropout draws
   * each example's masks from its own values, as training's own
   * predictions draw them, so the batches change nothing.
   */
  predictInputs(x: Float32Array, count: number): ExamplePrediction[] {
    const size = x.length / Math.max(count, 1);
    const predictions: ExamplePrediction[] = [];
    // No examples, no predictions: the model cannot be called on an empty batch.
    for (let start = 0; start < count; start += ROWS_AT_ONCE) {
      const rows = Math.min(ROWS_AT_ONCE, count - start);
      const passes = this.passes(x.subarray(start * size, (start + rows) * size), rows);
      for (let row = 0; row < rows; row++) {
        predictions.push(this.metadata.outputs.map((output, o) => describeOutput(output, passes.map((pass) => pass[o]!.subarray(row * pass[o]!.length / rows, (row + 1) * pass[o]!.length / rows)))));
      }
    }
    return predictions;
  }

  /** Every output of every pass over `rows` examples as arrays: one pass, or Monte-Carlo dropout's. */
  private passes(values: Float32Array, rows: number): Float32Array[][] {
    const x = tf.tensor(values, [rows, ...this.metadata.input.shape], "float32");
    try {
      const sampling = this.metadata.sampling;
      if (!sampling) {
        const outputs = tf.tidy(() => [this.model.predict(x)].flat() as tf.Tensor[]);
        return [read(outputs)];
      }
      const keys = rowKeys(values, rows);
      return Array.from({ length: sampling.samples }, (_, pass) => read(samplingPass(this.model, x, sampling, pass, keys)));
    } finally {
      x.dispose();
    }
  }

  private inputText(): string {
    const { kind, shape, features } = this.metadata.input;
    return kind === "image" ? `${shape.join("×")} images` : `table rows with the columns ${(features ?? []).join(", ")}`;
  }
}

function read(tensors: tf.Tensor[]): Float32Array[] {
  const arrays = tensors.map((tensor) => tensor.dataSync() as Float32Array);
  tf.dispose(tensors);
  return arrays;
}

/** The reglang metadata of a loaded model, or a message saying the model is not one reglang saved. */
export function readMetadata(model: tf.LayersModel): ModelMetadata {
  const metadata = (model.getUserDefinedMetadata() as { reglang?: ModelMetadata } | undefined)?.reglang;
  if (!metadata) throw new InputError("this model.json holds no reglang metadata (userDefinedMetadata.reglang): it was not saved by `regc run` or `regc export`");
  if (metadata.version !== METADATA_VERSION) throw new InputError(`this model's metadata is version ${metadata.version}; this reglang reads version ${METADATA_VERSION}`);
  return metadata;
}
