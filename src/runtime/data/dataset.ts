import type * as tf from "@tensorflow/tfjs";
import type { InputDescription } from "../../shared/model-metadata.js";

/**
 * Data as the training loop sees it: every split's examples as tensors,
 * loaded and preprocessed once. The emitted code describes a dataset with a
 * {@link DataSpec}; `loadData` turns that into a {@link Dataset}.
 */

export type TargetSpec =
  /**
   * Class labels: from the source's own labels (`class(10)`) or a column's
   * integers or strings. `labels`: the column's labels as `regc check` read
   * them, in class order, where it listed them all: a label the file no
   * longer matches is refused, not made a class of its own.
   */
  | { name: string; kind: "class"; classes?: number; column?: string; labels?: readonly string[] }
  /** A number read from a column (`number(mpg)`). */
  | { name: string; kind: "number"; column: string }
  /** Reconstruction: the input is the target. */
  | { name: string; kind: "self" };

export type SourceSpec =
  | { kind: "mnist" }
  /**
   * `path` as written in the spec; `specFolder` is where relative paths
   * start. `startedIn` is the spec's folder that the run's `run.json`
   * records (for a resume, a bagging member's process, a replica), looked
   * in when the file is not found from `specFolder`: a run folder moved
   * since its run started no longer leads from its program's place to the
   * data.
   */
  | { kind: "csv" | "json"; path: string; specFolder: string; startedIn?: string };

export type FileSource = Extract<SourceSpec, { kind: "csv" | "json" }>;

export interface DataSpec {
  name: string;
  source: SourceSpec;
  /** One example's shape (images); tables use `features`. */
  imageShape?: readonly number[];
  /** Table columns that make up the input, in order. */
  features?: readonly string[];
  targets: readonly TargetSpec[];
  normalize?: "standard" | "minmax";
  /** Rows with a gap in a used column: refused (`error`, the default), dropped, or their features filled with train means. */
  missing?: "error" | "drop" | "mean";
  /** Rows per split: a count, or a fraction of the rows (after `missing drop`). */
  split: Readonly<Record<string, number>>;
  seed: number;
}

export interface TargetInfo {
  kind: "class" | "number" | "self";
  /** Number of classes (class targets). */
  classes?: number;
  /** Class index → its label as found in the data (string labels), for reports. */
  classNames?: readonly string[];
}

export interface DataSplit {
  name: string;
  rows: number;
  /** Inputs, batch axis first: [rows, …inputShape], float32. */
  x: tf.Tensor;
  /** By target name: class targets int32 [rows], number targets float32 [rows, 1]; absent for `self` and in unlabeled splits. */
  targets: Readonly<Record<string, tf.Tensor>>;
}

export interface Dataset {
  name: string;
  kind: "image" | "table";
  inputShape: readonly number[];
  /** The valid range of an input value (after normalization), for clipping adversarial or noisy inputs. */
  inputRange: readonly [number, number];
  /** How a raw example becomes an input row: features, statistics fitted on train, missing values; what an exported model keeps. */
  preprocessing: InputDescription;
  targets: Readonly<Record<string, TargetInfo>>;
  splits: Readonly<Record<string, DataSplit>>;
}

/** A bad data file or column: says which file, column and row, for the CLI to print without a stack. */
export class DataError extends Error {
  override readonly name = "DataError";
}
