import type { TargetInfo } from "./dataset.js";

/** One target's value for every kept row: class indices (int32) or numbers (float32). */
export interface TargetValues {
  info: TargetInfo;
  values: Int32Array | Float32Array;
}

/**
 * Every usable example of a source as plain arrays, before splitting: what
 * the image and table readers hand to the splitter. Building typed arrays in
 * JS first means one tensor per split and target, and no tensor to dispose.
 */
export interface Examples {
  kind: "image" | "table";
  inputShape: readonly number[];
  rows: number;
  /** Row-major inputs, `rows × width`; NaN marks a missing table feature that `missing mean` fills. */
  x: Float32Array;
  /** Values per row of x: the product of inputShape. */
  width: number;
  /** Class and number targets by name; `self` targets have no values of their own. */
  targets: ReadonlyMap<string, TargetValues>;
  /** The source for messages: mnist, or the path as written in the spec, in backticks. */
  label: string;
  /** A feature's name for messages, by its index in a row. */
  featureName(index: number): string;
}
