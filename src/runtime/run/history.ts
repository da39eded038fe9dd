/**
 * What a run records, epoch by epoch: the content of `history.json`, which
 * the report draws and `--resume` continues.
 */

/** Metric values by name: `loss`, `accuracy`, per task `digit_loss`, `digit_accuracy`, … */
export type Metrics = Record<string, number>;

export interface EpochRecord {
  /** 1-based epoch within its phase. */
  epoch: number;
  /** `train`, or the early-stopping second phase (`retrain_all`, `continue_all`). */
  phase: string;
  learningRate: number;
  seconds: number;
  /** Means over the epoch's training batches, with regularization terms included in `loss`. */
  train: Metrics;
  /** On the validation split, without regularization terms; absent with no `val` split. */
  val?: Metrics;
}

export interface History {
  /** The spec file the run came from, as given. */
  spec: string;
  backend: string;
  /** Threads the backend computed with, where reglang sets them (wasm). */
  threads?: number;
  /** Data-parallel replicas that trained together, each with `threads`, when more than one. */
  replicas?: number;
  seed: number;
  epochs: EpochRecord[];
  /** Why training ended early, if it did: `early_stop at epoch 31 (best 11)`. */
  stopped?: string;
  /** Bagging: each member's training (also in the member's own folder); `epochs` is then empty. */
  members?: MemberHistory[];
}

/** One bagging member's epochs, named as its sub-folder (`member-1`). */
export interface MemberHistory {
  name: string;
  seed: number;
  epochs: EpochRecord[];
  stopped?: string;
}

/** The content of `metrics.json`: final metrics per split, after any restore of the best weights. */
export interface FinalMetrics {
  spec: string;
  backend: string;
  /** By split name (`train`, `val`, `test`) and then by metric. */
  splits: Record<string, Metrics>;
  /** Extra results techniques report (`mc_dropout`, `closed_form` solution norms, …), by name. */
  extra?: Record<string, Metrics>;
  /** Classify tasks: the confusion matrix and per-class scores on the test split, by task name. */
  classification?: Record<string, ClassificationResult>;
  /** Bagging: each member's own metrics on the same splits; `splits` are then the combined prediction's. */
  members?: MemberMetrics[];
}

export interface MemberMetrics {
  name: string;
  splits: Record<string, Metrics>;
  extra?: Record<string, Metrics>;
}

/** A classify task's results on one split, class by class. */
export interface ClassificationResult {
  split: string;
  /** Class index → label (the data's own labels, or the index). */
  labels: string[];
  /** `confusion[true][predicted]`: how many examples of each true class were predicted as each class. */
  confusion: number[][];
  perClass: Array<{ label: string; precision: number; recall: number; f1: number; support: number }>;
}
