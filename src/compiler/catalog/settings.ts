import type { ArgSpec, SettingSpec } from "./types.js";

/**
 * The settings of `data` and `train` blocks (`KEYWORD ARG, …`). A setting
 * with a single plain value names its argument `value`, as call and word
 * settings do, so every setting reads the same way after binding.
 */

function singleValue(doc: string, type: ArgSpec["type"], range: Pick<ArgSpec, "min" | "max" | "minExclusive">): ArgSpec[] {
  return [{ name: "value", type, doc, required: true, positional: true, ...range }];
}

const seedDoc = "Seed for the random number generator, so that a run can be repeated exactly: a whole number in [0, 4294967295] (32-bit unsigned).";

/** Seeds are 32-bit unsigned: a larger one would alias a smaller one. */
const SEED_RANGE = { min: 0, max: 2 ** 32 - 1 };

const DATA_SETTINGS: SettingSpec[] = [
  {
    name: "source",
    block: "data",
    doc: "Where the examples come from: `mnist`, `csv(\"path\")` or `json(\"path\")`.",
    value: { kind: "call", family: "source" },
    required: true,
  },
  {
    name: "input",
    block: "data",
    doc: "The type of one example, `image(28, 28, 1)` or `vector(5)`. Optional: an image source has its own shape and a table's input is its `features`.",
    value: { kind: "call", family: "input_type" },
  },
  {
    name: "target",
    block: "data",
    doc: "A value to predict, `NAME = class(…)` or `NAME = number(COLUMN)`; or `self` when the input is its own target (reconstruction). Repeat it for several targets.",
    value: { kind: "binding", family: "target_type", words: ["self"] },
    required: true,
    repeatable: true,
  },
  {
    name: "features",
    block: "data",
    doc: "The table columns that form the input, in order; `all` takes every column that is not a target. Names that are not identifiers are written as strings.",
    value: { kind: "columns", words: ["all"] },
  },
  {
    name: "normalize",
    block: "data",
    doc: "How input features are scaled, with statistics from the training split only: `standard` (zero mean, unit variance), `minmax` (to [0, 1]) or `none` (the default).",
    value: { kind: "word", values: ["none", "standard", "minmax"] },
  },
  {
    name: "missing",
    block: "data",
    doc: "What to do with missing values in the columns used: `error` (the default: refuse), `drop` the rows, or fill with the training split's column `mean`.",
    value: { kind: "word", values: ["error", "drop", "mean"] },
  },
  {
    name: "split",
    block: "data",
    doc: "Disjoint subsets of the rows, as counts (`train: 1000`) or fractions (`train: 0.6`): `train`, `val` (for early stopping and model choice), `test` (reported, never trained on) and `unlabeled` (labels withheld, for semi-supervised techniques).",
    value: { kind: "named_sizes", names: ["train", "val", "test", "unlabeled"] },
    required: true,
  },
  {
    name: "seed",
    block: "data",
    doc: `${seedDoc} Here it fixes which rows go to which split (default 0).`,
    value: { kind: "args", args: singleValue(seedDoc, { kind: "integer" }, SEED_RANGE) },
  },
];

const TRAIN_SETTINGS: SettingSpec[] = [
  {
    name: "optimizer",
    block: "train",
    doc: "The gradient method and its hyperparameters: `sgd(…)`, `adam(…)`, `adamw(…)` or `rmsprop(…)`. Not needed with `solver closed_form`.",
    value: { kind: "call", family: "optimizer" },
    required: true,
  },
  {
    name: "epochs",
    block: "train",
    doc: "Passes over the training split (over the largest split in use when a technique reads another one; see `steps_per_epoch`). With `early_stop` it is the most that will run.",
    value: { kind: "args", args: singleValue("Number of passes over the training split.", { kind: "integer" }, { min: 1 }) },
    required: true,
  },
  {
    name: "batch",
    block: "train",
    doc: "Examples per gradient step. Small batches add gradient noise, itself a mild regularizer.",
    value: { kind: "args", args: singleValue("Examples per gradient step.", { kind: "integer" }, { min: 1 }) },
    required: true,
  },
  {
    name: "steps_per_epoch",
    block: "train",
    doc: "Gradient steps in one epoch, each a full batch drawn from a walk that cycles through the training rows in a seeded order. By default an epoch is one pass over the training split, or, when a technique reads another split (`using digits.unlabeled`), one pass over the largest split in use. Ramps, early stopping, schedules and progress count in these epochs.",
    value: { kind: "args", args: singleValue("Gradient steps per epoch.", { kind: "integer" }, { min: 1 }) },
  },
  {
    name: "seed",
    block: "train",
    doc: `${seedDoc} Here it fixes initial weights, batch order, dropout masks and noise.`,
    value: { kind: "args", args: singleValue(seedDoc, { kind: "integer" }, SEED_RANGE) },
  },
  {
    name: "solver",
    block: "train",
    doc: "`gradient` (the default) trains with the optimizer; `closed_form` solves a linear model with an `l2` term exactly, w = (XᵀX + αI)⁻¹Xᵀy (book §7.3).",
    value: { kind: "word", values: ["gradient", "closed_form"] },
  },
  {
    name: "schedule",
    block: "train",
    doc: "How the learning rate changes over the run: `constant` (the default), `step(…)`, `exponential(…)` or `cosine(…)`.",
    value: { kind: "call", family: "schedule" },
  },
  {
    name: "clip_norm",
    block: "train",
    doc: "Rescale each step's gradient so its global L2 norm is at most this value, guarding against exploding gradients.",
    value: { kind: "args", args: singleValue("The largest gradient norm allowed.", { kind: "number" }, { min: 0, minExclusive: true }) },
  },
];

const TUNE_SETTINGS: SettingSpec[] = [
  {
    name: "trials",
    block: "tune",
    doc: "How many points of the search spaces are trained (with `grid`, at most the number of points there are).",
    value: { kind: "args", args: singleValue("Number of trials.", { kind: "integer" }, { min: 1 }) },
    required: true,
  },
  {
    name: "objective",
    block: "tune",
    doc: "What the search optimizes: `maximize` or `minimize`, then a metric the run reports on a non-test split (`val_accuracy`, `val_loss`). Tuning on the test split would leak it into the model's choice.",
    qualifiers: ["maximize", "minimize"],
    value: { kind: "args", args: [{ name: "value", type: { kind: "metric" }, doc: "The metric, on the `val` (or `train`) split.", required: true, positional: true }] },
    required: true,
  },
  {
    name: "method",
    block: "tune",
    doc: "`random` (the default) draws each trial's point from the spaces; `grid` trains every combination of `choice` spaces; `halving` draws like `random` and runs asynchronous successive halving (ASHA, Li et al. 2018): trials start with few epochs and only the best fraction at each rung continues.",
    value: { kind: "word", values: ["random", "grid", "halving"] },
  },
  {
    name: "reduction",
    block: "tune",
    doc: "`halving` only: η, the factor between rungs — about 1/η of the trials at a rung are promoted, each to η times the epochs.",
    value: { kind: "args", args: singleValue("The reduction factor η.", { kind: "integer" }, { min: 2 }) },
  },
  {
    name: "min_epochs",
    block: "tune",
    doc: "`halving` only: the epochs of the first rung (default: the train block's `epochs` divided by η², at least 1).",
    value: { kind: "args", args: singleValue("Epochs of the first rung.", { kind: "integer" }, { min: 1 }) },
  },
];

export const SETTINGS: readonly SettingSpec[] = [...DATA_SETTINGS, ...TRAIN_SETTINGS, ...TUNE_SETTINGS];
