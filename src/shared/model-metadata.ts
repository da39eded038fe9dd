/**
 * What an exported model needs beside its weights, kept in `model.json`'s
 * `userDefinedMetadata.reglang`: written by the runtime when a run saves
 * its model, read by `reglang/predict` and `regc predict`. Plain JSON, so
 * a page can read it without reglang.
 */

/** Bumped when a reader of an older version could misread a newer file. */
export const METADATA_VERSION = 1;

export interface ModelMetadata {
  version: typeof METADATA_VERSION;
  /** The spec file and the model in it. */
  spec: string;
  model: string;
  input: InputDescription;
  /** One per task, in the order of the LayersModel's outputs. */
  outputs: OutputDescription[];
  /** Monte-Carlo dropout: predictions average `samples` passes with the listed dropout layers on. */
  sampling?: SamplingDescription;
  /**
   * Layers named otherwise than the spec names them, exported name → the
   * spec's: TensorFlow.js refuses a name that starts with `_`, so such a
   * name is exported with a `0` before it (`_h1` as `0_h1`).
   */
  renamed?: Record<string, string>;
}

/** How raw inputs (table columns in their own units, image pixels) become the model's input. */
export interface InputDescription {
  kind: "table" | "image";
  /** One example's shape, batch axis left out. */
  shape: number[];
  /** Table columns, in the order the model reads them. */
  features?: string[];
  /**
   * `(value − shift) · scale`, fitted on the train split: one pair per
   * feature (tables) or per channel (images).
   */
  normalize?: { mode: "standard" | "minmax"; shift: number[]; scale: number[] };
  /**
   * A feature with no value: `refuse` (the spec allowed none), `drop` (such
   * rows were left out of training: they cannot be predicted), or `mean`
   * (filled with `fill`, each feature's mean over the train split).
   */
  missing: "refuse" | "drop" | "mean";
  fill?: number[];
  /**
   * Tables an embedding looks up: every feature is an id, a whole number
   * from 0 to `ids` − 1 (the rows of the smallest such table). A value
   * outside them has no row to look up.
   */
  ids?: number;
  /** Images: the range raw pixel values take before normalization ([0, 1]: 8-bit pixels divided by 255). */
  pixelRange?: [number, number];
  /**
   * Images: what a transparent pixel shows, one 8-bit value per channel of
   * the model's input (the train images' edges; black when absent, as in
   * models exported before it). A pixel of alpha a is its color v
   * premultiplied as a canvas keeps it, round(v · a / 255), plus
   * background · (255 − a) / 255.
   */
  background?: number[];
}

export interface OutputDescription {
  /** The task's name in the spec. */
  task: string;
  kind: "classify" | "regress" | "reconstruct";
  /** The spec's layer the task scores. */
  layer: string;
  /** The data target it was trained against (`input` for reconstruction). */
  target: string;
  /**
   * `probabilities`: one per class, in `labels` order. `votes`: a bagging
   * ensemble that votes: each member's probabilities, member after member
   * (`members` × classes); the prediction is the share of members whose top
   * class each class is, plus `voteTieBreak` times the members' mean
   * probability, divided by members + `voteTieBreak`. `values`: numbers as
   * the layer computes them (regression targets in their own units).
   */
  values: "probabilities" | "votes" | "values";
  /** One example's output shape, batch axis left out. */
  shape: number[];
  /** Class labels in output order. */
  labels?: string[];
  members?: number;
  voteTieBreak?: number;
}

export interface SamplingDescription {
  /** The clause, as the spec writes it. */
  technique: string;
  samples: number;
  /**
   * The dropout layers left on, each with its position in the spec's model,
   * which with the pass number seeds its mask as training's own
   * Monte-Carlo predictions do.
   */
  dropoutLayers: Record<string, { rate: number; position: number }>;
}
