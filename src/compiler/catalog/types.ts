import type { ClauseKeyword } from "../syntax/ast.js";

/**
 * The vocabulary of `.reg`: what each layer, setting, function and technique
 * is called, what arguments it takes (type, range, default), what it means
 * (doc, formula, book section) and where it applies. The checker, the
 * emitter, the language server and the docs all read these entries; none of
 * them hard-codes a name the catalog defines.
 */

/** A tensor shape without the batch axis: `[784]`, `[28, 28, 1]`. */
export type Shape = readonly number[];

/** A literal value as the catalog stores defaults. */
export type Value = number | string | boolean | readonly number[];

/**
 * Quantities whose numbers may carry a unit in the source. A fraction needs
 * no mark: every number argument whose range lies in [0, 1] takes `10%` as 0.1.
 */
export type Quantity =
  | "angle" // degrees: `10deg` or `10`
  | "pixels"; // `2px`, or a fraction of the image side: `10%`

export type ArgType =
  | { kind: "number"; quantity?: Quantity }
  | { kind: "integer" }
  | { kind: "boolean" }
  | { kind: "string" }
  /** One word from a fixed set (`activation: relu`). */
  | { kind: "enum"; values: readonly string[] }
  /** A number, or a `[lo, hi]` list of two (`scale: [0.9, 1.1]`); one number x means [around − x, around + x] (`around` is 0 unless given). */
  | { kind: "range"; quantity?: Quantity; around?: number }
  /** An integer or a list of them (`reshape(28, 28, 1)` collects positionals; `kernel: [3, 5]`); `most`: the longest list that means something (a window's `[height, width]`). */
  | { kind: "integers"; most?: number }
  /** A metric to monitor: `val_loss`, `val_accuracy`, `val_<task>_<metric>`, … */
  | { kind: "metric" }
  /**
   * A reference into the spec: a layer, a parameter (`enc.kernel`), a model,
   * or a data target (`digits.label`, or `digits.input` to reconstruct).
   * With `wrappedBy`, the reference may also be given inside one call of that
   * family (`transpose(enc.kernel)` where a parameter is expected).
   */
  | { kind: "ref"; to: "layer" | "param" | "model" | "target"; wrappedBy?: FunctionFamily }
  /** A call to a catalog function of the given family (`adam(lr: 1e-3)`); a bare word calls it with defaults. */
  | { kind: "call"; family: FunctionFamily }
  /** A data column (an identifier or a string). */
  | { kind: "column" };

export interface ArgSpec {
  name: string;
  type: ArgType;
  doc: string;
  /** Absent and not `required` means the argument is optional with no value. */
  default?: Value;
  required?: boolean;
  /** May be given without its name; positional arguments bind in declaration order. */
  positional?: boolean;
  /** Collects all remaining positional arguments (as `reshape(28, 28, 1)` does). */
  variadic?: boolean;
  min?: number;
  max?: number;
  /** At most the number of training rows (the neighbours a nearest-neighbour vote can find). */
  atMostTrainingRows?: boolean;
  /** At most the `train` block's epochs (a snapshot ensemble's cycles: one snapshot at each cycle's end, each cycle an epoch or more). */
  atMostEpochs?: boolean;
  /** The bound itself is not allowed (`eps > 0`, `rate < 1`). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** The names Keras or PyTorch give this argument (`learning_rate` for `lr`), which the checker answers with this one. */
  knownElsewhereAs?: readonly string[];
}

/** Where a clause may point. */
export type ClauseTarget =
  | "params" // parameters of the regularized model: `h1.kernel`, `*.kernel`
  | "layers" // layers' outputs: `t2`, `enc`
  | "input_or_layers" // `input` or layers
  | "split" // a data split: `digits.unlabeled`
  | "transforms" // transform names, or `manifold(MODEL, k: …)`
  | "layer"; // exactly one earlier layer (`from`, `after`)

export type BookSection =
  | "7.1"
  | "7.2"
  | "7.3"
  | "7.4"
  | "7.5"
  | "7.6"
  | "7.7"
  | "7.8"
  | "7.9"
  | "7.10"
  | "7.11"
  | "7.12"
  | "7.13"
  | "7.14";

/**
 * Where the technique acts. Most are the `Technique` methods its runtime
 * module implements (src/runtime/train/technique.ts; `add_loss` is
 * `lossTerm`, the others the method's name in snake case; a test holds
 * them equal). Four act outside the training loop: `model_structure` (the
 * emitted model gains a layer, or the clause changes the model's
 * parameters), `solver` (closed-form training), `share_params` (the model
 * is built with one variable in two places) and `ensemble` (several models
 * are trained).
 */
export type Hook =
  | "transform_batch"
  | "perturb_params"
  | "add_loss"
  | "weigh_tasks"
  | "after_step"
  | "learning_rate"
  | "epoch_end"
  | "training_end"
  | "wrap_prediction"
  | "final_metrics"
  | "model_structure"
  | "solver"
  | "share_params"
  | "ensemble";

export interface TechniqueSpec {
  name: string;
  section: BookSection;
  title: string;
  /** One paragraph for hover and docs. */
  doc: string;
  /** The formula, in plain Unicode math. */
  formula: string;
  /** Paper or book reference. */
  reference?: string;
  args: ArgSpec[];
  /** Clauses it accepts and what each may point at. */
  clauses: Partial<Record<ClauseKeyword, ClauseTarget>>;
  /** Clauses it must have. */
  requiredClauses?: ClauseKeyword[];
  /** With no `on` clause, what `on` defaults to (e.g. every kernel). */
  defaultOn?: "kernels" | "input";
  requires?: {
    /** Input must be an image (geometric transforms). */
    imageInput?: boolean;
    /** Spec must have a classify task. */
    classifyTask?: boolean;
    /** The `using` split must be an unlabeled split. */
    unlabeledSplit?: boolean;
    /** Only meaningful with two or more tasks on the model. */
    severalTasks?: boolean;
    /** The `on` layers' outputs are read as firing rates in (0, 1): they need a sigmoid activation. */
    sigmoidLayers?: boolean;
  };
  /** At most one per regularize block. */
  unique?: boolean;
  /** Two techniques in the same group on the same parameter conflict (e.g. two constraints); for techniques without `on`, on the same model. */
  conflictGroup?: string;
  hooks: Hook[];
  /** Counts as regularizing for the §7.3 under-constrained warning. */
  regularizes: boolean;
}

/** What a layer does to shapes; pure functions of the input shape and arguments. */
export interface LayerSpec {
  name: string;
  doc: string;
  section?: BookSection;
  args: ArgSpec[];
  clauses: Partial<Record<ClauseKeyword, ClauseTarget>>;
  /** The input rank it needs, described for messages (`a flat vector`, `an image`). */
  accepts: "any" | "vector" | "image";
  /** Output shape, or a message saying why the input does not fit. */
  outputShape(input: Shape, args: ResolvedArgs): Shape | ShapeError;
  /** Trainable parameter shapes by name (`kernel`, `bias`, `gamma`, `beta`). */
  params(input: Shape, args: ResolvedArgs): Record<string, Shape>;
  /** Active only in training (dropout, noise): identity at prediction time. */
  trainingOnly?: boolean;
  /** Layers that regularize count for the §7.3 warning. */
  regularizes?: boolean;
  /** Applies no transform beyond the identity's shape (e.g. dropout, noise, batch_norm); linear models may contain it. */
  linear?: boolean;
}

export interface ShapeError {
  error: string;
  /** Which diagnostic to raise: a window that does not fit, a wrong rank, a reshape size. */
  code: "REG3001" | "REG3004" | "REG3005";
  params: Record<string, string | number>;
}

/** Arguments after binding: by name, with defaults filled in. */
export type ResolvedArgs = Readonly<Record<string, Value | undefined>>;

export type FunctionFamily =
  | "optimizer" // sgd, adam, adamw, rmsprop
  | "schedule" // constant, step, exponential, cosine
  | "source" // mnist, csv, json
  | "input_type" // image(h, w, c), vector(n)
  | "target_type" // class(N | COLUMN), number(COLUMN)
  | "task" // classify, regress, reconstruct
  | "transform" // rotate, translate, scale, shear, thickness, manifold(…)
  | "tie_operand" // transpose(PARAM)
  | "search_space"; // choice(…), uniform(lo, hi), log_uniform(lo, hi), int_uniform(lo, hi)

export interface FunctionSpec {
  name: string;
  family: FunctionFamily;
  doc: string;
  args: ArgSpec[];
  section?: BookSection;
  /** Transforms only: geometric, so meaningful for image inputs alone. */
  imageOnly?: boolean;
  /** Tasks only: the metrics reported besides `loss` (`accuracy`, `rmse`, …). */
  metrics?: readonly string[];
  /** Optimizers only: the technique whose work it already does on every weight (`adamw`'s decay is `weight_decay`'s), so the two are not given together. */
  doesTechnique?: string;
}

/** What a setting's arguments look like. */
export type SettingValue =
  /** Ordinary positional/named arguments (`epochs 30`, `seed 7`). */
  | { kind: "args"; args: ArgSpec[] }
  /** One call (or bare word) of a function family (`optimizer adam(lr: 1e-3)`, `source mnist`). */
  | { kind: "call"; family: FunctionFamily }
  /** `NAME = TYPE(...)` or a bare word from `words` (`target label = class(10)`, `target self`). */
  | { kind: "binding"; family: FunctionFamily; words: readonly string[] }
  /** A comma list of columns, or one of `words` (`features a, b, "c d"`, `features all`). */
  | { kind: "columns"; words: readonly string[] }
  /** Named counts or fractions whose names come from `names` (`split train: 1000, val: 0.2`). */
  | { kind: "named_sizes"; names: readonly string[] }
  /** One word from a fixed set (`normalize standard`). */
  | { kind: "word"; values: readonly string[] };

export type SettingBlock = "data" | "train" | "tune";

export interface SettingSpec {
  name: string;
  block: SettingBlock;
  doc: string;
  value: SettingValue;
  /** Words one of which is written between the keyword and the value (`objective maximize val_accuracy`). */
  qualifiers?: readonly string[];
  required?: boolean;
  /** May appear more than once (`target`). */
  repeatable?: boolean;
}

/** A kind of top-level declaration (`data`, `model`, `task`, `train`, `regularize`). */
export interface BlockSpec {
  name: string;
  /** Its shape, in the notation of the docs (`model NAME(DATA.input) { … }`). */
  syntax: string;
  doc: string;
  example: string;
}
