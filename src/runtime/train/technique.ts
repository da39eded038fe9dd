import type * as tf from "@tensorflow/tfjs";
import type { Dataset } from "../data/dataset.js";
import type { Model } from "../model/model.js";
import type { EpochRecord } from "../run/history.js";
import type { Task } from "./tasks.js";
import type { InputGradient } from "./input-gradient.js";
import type { EpochCount } from "../../shared/epochs-counted.js";

/**
 * The hooks a regularization technique implements. The training loop calls
 * them at fixed points and knows nothing else about any technique: a new
 * technique is one module implementing some of these.
 */

/** What a technique may look at when training starts. */
export interface TrainingSetup {
  model: Model;
  tasks: readonly Task[];
  data: Dataset;
}

/**
 * One batch as the loss sees it: class targets one-hot (float), number
 * targets [n, 1], and `input`, the clean input, for reconstruction. `extra`
 * holds a batch of inputs from each split a technique `uses` (the unlabeled
 * digits of semi-supervised terms), drawn alongside.
 */
export interface Batch {
  x: tf.Tensor;
  targets: Readonly<Record<string, tf.Tensor>>;
  extra?: ReadonlyMap<string, tf.Tensor>;
}

/** Where training is, for hooks that depend on it (ramps, seeds, learning rate). */
export interface StepInfo {
  /** 1-based epoch and step within it. */
  epoch: number;
  step: number;
  /** Total epochs planned, for ramp-ups. */
  epochs: number;
  /** A seed unique to this step, for the hook's own randomness. */
  seed: number;
  learningRate: number;
}

/** A forward pass over a training batch, inside the gradient tape. */
export interface ForwardPass {
  batch: Batch;
  model: Model;
  tasks: readonly Task[];
  /** The model's output and every layer's output by key (`h1`, `dense_3`). */
  output: tf.Tensor;
  layers: ReadonlyMap<string, tf.Tensor>;
  /** Each task's mean loss on this batch, and their weighted sum: the objective before any technique's term. */
  taskLosses: ReadonlyMap<string, tf.Scalar>;
  taskLoss: tf.Scalar;
  /**
   * Another training-mode pass through the same model (same parameters,
   * perturbed ones included), for terms that need the network on other
   * inputs: adversarial examples, tangent directions, unlabeled batches.
   * It leaves batch norm's moving averages alone.
   */
  forward(x: tf.Tensor, options?: { seed?: number; training?: boolean }): ReadonlyMap<string, tf.Tensor>;
  /** The weighted task loss of another pass's outputs against this batch's targets. */
  lossOf(layers: ReadonlyMap<string, tf.Tensor>): tf.Scalar;
  /**
   * ∇ with respect to `batch.x` of a scalar made from this pass's outputs,
   * back through the operations the pass recorded: no second forward pass.
   * Absent where the pass is not recorded on a gradient tape.
   */
  inputGradient?(of: tf.Scalar): tf.Tensor;
}

/** The weighted task loss L as a function of the input batch (a mean over the batch). */
export type LossAt = (x: tf.Tensor) => tf.Scalar;

/**
 * Training on a perturbed copy x̃ of each batch (adversarial examples,
 * §7.13): the objective gains weight·(L(x̃) − L(x)), x̃ a constant built
 * from x and L's input gradient.
 */
export interface InputPerturbation {
  /** Share w of the perturbed loss: the objective becomes (1 − w)·L(x) + w·L(x̃). */
  readonly weight: number;
  /**
   * x̃ for the batch x. `lossAt` runs the training pass again (same
   * parameters, dropout masks and noise); `gradient` gives ∇ L at an input,
   * at x itself without a new pass.
   */
  perturb(lossAt: LossAt, x: tf.Tensor, gradient: InputGradient, step: StepInfo): tf.Tensor;
}

/** Makes predictions for a batch of inputs: every layer's output, evaluation mode. */
export type Predict = (x: tf.Tensor) => ReadonlyMap<string, tf.Tensor>;

/** What `wrapPrediction` does, in terms an exported model can carry. */
export type ExportedPrediction =
  /** Dropout stays on for `samples` passes, whose predictions are averaged (class probabilities, other outputs as they are). */
  | { kind: "sampling"; samples: number }
  /** The average of the model's predictions with each of these weight sets (by `LAYER.PARAM`); none: the model as it is. */
  | { kind: "weight_sets"; sets: ReadonlyArray<ReadonlyMap<string, tf.Tensor>> };

/** What an epoch-end hook may ask of the loop. */
export interface TrainingControl {
  /** Stop after this epoch, saying why (shown in the log and report). */
  stop(reason: string): void;
  /** Epoch records so far, this one included. */
  readonly history: readonly EpochRecord[];
}

/**
 * Training on train + val after the first phase (the book's algorithms 7.2
 * and 7.3). `retrain_all`: fresh weights, `epochs` epochs. `continue_all`:
 * keep the weights and train until the validation loss falls to the
 * training loss measured when the phase starts (or `maxEpochs` pass).
 */
export type SecondPhase = { kind: "retrain_all"; epochs: number } | { kind: "continue_all"; maxEpochs: number };

/** A technique's state that a checkpoint must keep for a resumed run to behave identically. */
export interface TechniqueState {
  values: unknown;
  tensors?: ReadonlyMap<string, tf.Tensor>;
}

/** What the end-of-training hook sees, to report results of its own. */
export interface FinishContext {
  model: Model;
  data: Dataset;
  tasks: readonly Task[];
  predict: Predict;
}

/** α·Σw² over `params`. */
export interface SquaredNormPenalty {
  alpha: number;
  params: readonly tf.Variable[];
}

export interface Technique {
  /** The clause as written in the spec, for messages. */
  readonly label: string;
  /** Splits (besides train) whose input batches each training step brings in `batch.extra`. */
  readonly uses?: readonly string[];
  /**
   * A count the technique makes at most once per epoch (a snapshot
   * ensemble's cycles), named as the spec writes it: fewer epochs would make
   * fewer without a word, so a shorter `--epochs` is refused.
   */
  readonly perEpochCount?: EpochCount;
  /** Trainable variables of the technique's own (learned task weights), updated with the model's. */
  variables?(): tf.Variable[];
  /** Parameters to use in place of the model's for this step's training passes (weight noise); inside the tape. */
  perturbParams?(model: Model, step: StepInfo): ReadonlyMap<string, tf.Tensor>;
  /** Combines the tasks' mean losses instead of Σ weightᵢ·Lᵢ (learned weights); inside the tape. */
  weighTasks?(losses: ReadonlyMap<string, tf.Scalar>, tasks: readonly Task[]): tf.Scalar;
  /** Changes the scheduled learning rate of an epoch (cyclic schedules of snapshot ensembles). */
  learningRate?(scheduled: number, epoch: number, epochs: number): number;
  /** Before the first step: resolve parameter names, check they exist. */
  attach?(setup: TrainingSetup): void;
  /** Changes a training batch (never a validation or test batch); runs inside `tf.tidy`. */
  transformBatch?(batch: Batch, step: StepInfo): Batch;
  /** Adds a term to the training loss; runs inside the gradient tape. */
  lossTerm?(pass: ForwardPass, step: StepInfo): tf.Scalar;
  /** `lossTerm` is a penalty on the variables alone: it reads neither the batch nor a forward pass. */
  readonly parameterPenalty?: true;
  /**
   * `lossTerm` as α·Σw² over these parameters: a step may instead add its
   * value off the tape and its gradient 2α·w to each parameter's gradient
   * itself, within the optimizer's update where that can take it.
   */
  squaredNormPenalty?(): SquaredNormPenalty;
  /**
   * The term `lossTerm` adds, when it is a perturbed input's loss: where the
   * rest of the objective is the task loss alone, the step takes L's input
   * gradient at x from the backward pass that the weights need anyway.
   */
  readonly inputPerturbation?: InputPerturbation;
  /** Acts on the parameters after each optimizer step (projections, decay). */
  afterStep?(model: Model, step: StepInfo): void;
  /** After each epoch's validation. */
  epochEnd?(record: EpochRecord, model: Model, control: TrainingControl): void;
  /** After the last epoch, before final metrics (e.g. restore the best weights); may ask for a second phase. */
  trainingEnd?(model: Model): SecondPhase | void;
  /** Replaces how predictions are made at evaluation time. */
  wrapPrediction?(predict: Predict, model: Model): Predict;
  /** How an exported model reproduces `wrapPrediction`; a technique that wraps prediction without it cannot be exported. */
  exportedPrediction?(): ExportedPrediction;
  /** Results of its own, reported beside the final metrics (accuracy under attack, a nearest-neighbour classifier's). */
  finalMetrics?(context: FinishContext): Record<string, Record<string, number>>;
  /** Weights to keep in the run folder beside the model (snapshots), by sub-folder (`snapshots/1`). */
  keptWeights?(): ReadonlyMap<string, ReadonlyMap<string, tf.Tensor>>;
  saveState?(): TechniqueState;
  loadState?(state: TechniqueState): void;
}
