import type { ArgSpec, LayerSpec, ResolvedArgs, Shape, ShapeError, Value } from "./types.js";

/**
 * The layers of a `model` block, with Keras shape semantics. Shapes leave out
 * the batch axis. An argument that failed to bind arrives as `undefined`, and
 * one out of range still arrives; both are already reported, so their
 * dimensions become NaN ("unknown") and no shape error is raised about them:
 * one mistake yields one diagnostic.
 */

const ACTIVATIONS = ["none", "relu", "sigmoid", "tanh", "softmax", "elu", "selu", "gelu", "leaky_relu", "softplus"] as const;

type Pair = [number, number];

const FROM_CLAUSE = { from: "layer" } as const;

function shapeText(shape: Shape): string {
  return shape.join("×");
}

function sizeOf(shape: Shape): number {
  return shape.reduce((product, n) => product * n, 1);
}

/** A size, count or stride: a positive number, or NaN when it is missing or out of range. */
function dimension(value: unknown): number {
  return typeof value === "number" && value >= 1 ? value : Number.NaN;
}

function dimensionArg(args: ResolvedArgs, name: string): number {
  return dimension(args[name]);
}

/** `3` or `[3]` means 3×3; `[3, 5]` means 3 high, 5 wide. */
function pairArg(value: Value | undefined): Pair {
  if (typeof value === "number") return [dimension(value), dimension(value)];
  if (Array.isArray(value) && value.length > 0) {
    const [first, second] = value as readonly number[];
    return [dimension(first), dimension(second ?? first)];
  }
  return [Number.NaN, Number.NaN];
}

function wrongRank(kind: string, expected: string, input: Shape): ShapeError {
  return {
    error: `${kind} expects ${expected} input, got shape ${shapeText(input)}`,
    code: "REG3004",
    params: { kind, expected, shape: shapeText(input) },
  };
}

function rankError(kind: string, accepts: LayerSpec["accepts"], input: Shape): ShapeError | undefined {
  if (accepts === "vector" && input.length !== 1) return wrongRank(kind, "a flat vector", input);
  if (accepts === "image" && input.length !== 3) return wrongRank(kind, "an image (height×width×channels)", input);
  return undefined;
}

/**
 * Output height and width of a sliding window: `valid` keeps only full
 * windows, floor((n − k)/s) + 1; `same` pads so that the output is ceil(n/s).
 */
function slide(kind: string, input: Shape, window: Pair, stride: Pair, padding: Value | undefined): Pair | ShapeError {
  const [height, width] = input as [number, number, number];
  if (padding === "same") return [Math.ceil(height / stride[0]), Math.ceil(width / stride[1])];
  if (window[0] > height || window[1] > width) {
    const params = { kind, window: shapeText(window), input: shapeText(input) };
    return { error: `${kind} window ${params.window} is larger than its input ${params.input}`, code: "REG3001", params };
  }
  return [Math.floor((height - window[0]) / stride[0]) + 1, Math.floor((width - window[1]) / stride[1]) + 1];
}

/** A weighted layer's parameters: its kernel, and a bias of `units` unless `use_bias: false`. */
function kernelAndBias(kernel: Shape, units: number, args: ResolvedArgs): Record<string, Shape> {
  return args["use_bias"] === false ? { kernel } : { kernel, bias: [units] };
}

function isError(value: unknown): value is ShapeError {
  return typeof value === "object" && value !== null && "error" in value;
}

const activationArg: ArgSpec = {
  name: "activation",
  type: { kind: "enum", values: ACTIVATIONS },
  doc: "The nonlinearity applied to the layer's output; `none` leaves it linear (use `none` for a classify head: the loss applies the softmax).",
  default: "none",
};

const useBiasArg: ArgSpec = { name: "use_bias", type: { kind: "boolean" }, doc: "Whether the layer adds a learned bias vector.", default: true };

function kernelArg(doc: string): ArgSpec {
  return { name: "kernel", type: { kind: "integers", most: 2 }, doc, required: true, positional: true, min: 1 };
}

function strideArg(doc: string, fallback?: readonly number[]): ArgSpec {
  const arg: ArgSpec = { name: "stride", type: { kind: "integers", most: 2 }, doc, min: 1 };
  if (fallback) arg.default = fallback;
  return arg;
}

const paddingArg: ArgSpec = {
  name: "padding",
  type: { kind: "enum", values: ["valid", "same"] },
  doc: "`valid` uses only positions where the window fits, shrinking the output; `same` zero-pads so the output is ceil(input/stride).",
  default: "valid",
};

const dense: LayerSpec = {
  name: "dense",
  doc: "A fully connected layer: y = activation(x·W + b), with W of shape [inputs, units]. Needs a flat vector input; put `flatten()` after images. Its `kernel` and `bias` are the usual targets of `l2`, `maxnorm` and the other parameter clauses.",
  args: [
    { name: "units", type: { kind: "integer" }, doc: "Number of outputs (neurons).", required: true, positional: true, min: 1 },
    activationArg,
    useBiasArg,
  ],
  clauses: FROM_CLAUSE,
  accepts: "vector",
  outputShape: (input, args) => rankError("dense", "vector", input) ?? [dimensionArg(args, "units")],
  params: (input, args) => {
    const units = dimensionArg(args, "units");
    return kernelAndBias([input[0] ?? Number.NaN, units], units, args);
  },
};

const conv2d: LayerSpec = {
  name: "conv2d",
  doc: "A 2-D convolution: `filters` learned kernels slide over the image, each producing one output channel. Shares weights across positions, a built-in prior of translation equivariance (book §7.9). Output size follows `padding` and `stride`.",
  args: [
    { name: "filters", type: { kind: "integer" }, doc: "Number of kernels, i.e. output channels.", required: true, positional: true, min: 1 },
    kernelArg("Kernel size: `3` for 3×3, or `[height, width]`."),
    strideArg("Step between window positions: `1`, or `[vertical, horizontal]`.", [1]),
    paddingArg,
    activationArg,
    useBiasArg,
  ],
  clauses: FROM_CLAUSE,
  accepts: "image",
  outputShape: (input, args) => {
    const wrong = rankError("conv2d", "image", input);
    if (wrong) return wrong;
    const spatial = slide("conv2d", input, pairArg(args["kernel"]), pairArg(args["stride"]), args["padding"]);
    return isError(spatial) ? spatial : [...spatial, dimensionArg(args, "filters")];
  },
  params: (input, args) => {
    const filters = dimensionArg(args, "filters");
    return kernelAndBias([...pairArg(args["kernel"]), input[2] ?? Number.NaN, filters], filters, args);
  },
};

const depthwiseConv2d: LayerSpec = {
  name: "depthwise_conv2d",
  doc: "A depthwise convolution: each input channel is convolved with its own `depth_multiplier` kernels, with no mixing across channels. Far fewer parameters than `conv2d`; pair it with a 1×1 `conv2d` for a separable convolution.",
  args: [
    kernelArg("Kernel size: `3` for 3×3, or `[height, width]`."),
    strideArg("Step between window positions: `1`, or `[vertical, horizontal]`.", [1]),
    paddingArg,
    { name: "depth_multiplier", type: { kind: "integer" }, doc: "Output channels per input channel.", default: 1, min: 1 },
    activationArg,
    useBiasArg,
  ],
  clauses: FROM_CLAUSE,
  accepts: "image",
  outputShape: (input, args) => {
    const wrong = rankError("depthwise_conv2d", "image", input);
    if (wrong) return wrong;
    const spatial = slide("depthwise_conv2d", input, pairArg(args["kernel"]), pairArg(args["stride"]), args["padding"]);
    return isError(spatial) ? spatial : [...spatial, (input[2] ?? Number.NaN) * dimensionArg(args, "depth_multiplier")];
  },
  params: (input, args) => {
    const channels = input[2] ?? Number.NaN;
    const multiplier = dimensionArg(args, "depth_multiplier");
    return kernelAndBias([...pairArg(args["kernel"]), channels, multiplier], channels * multiplier, args);
  },
};

function pool(name: string, doc: string): LayerSpec {
  return {
    name,
    doc,
    args: [
      { name: "size", type: { kind: "integers", most: 2 }, doc: "Window size: `2` for 2×2, or `[height, width]`.", default: [2], positional: true, min: 1 },
      strideArg("Step between windows; defaults to the window size (non-overlapping windows)."),
      paddingArg,
    ],
    clauses: FROM_CLAUSE,
    accepts: "image",
    outputShape: (input, args) => {
      const wrong = rankError(name, "image", input);
      if (wrong) return wrong;
      const size = pairArg(args["size"]);
      const stride = args["stride"] === undefined ? size : pairArg(args["stride"]);
      const spatial = slide(name, input, size, stride, args["padding"]);
      return isError(spatial) ? spatial : [...spatial, input[2]!];
    },
    params: () => ({}),
  };
}

function globalPool(name: string, doc: string): LayerSpec {
  return {
    name,
    doc,
    args: [],
    clauses: FROM_CLAUSE,
    accepts: "image",
    outputShape: (input) => rankError(name, "image", input) ?? [input[2]!],
    params: () => ({}),
  };
}

const flatten: LayerSpec = {
  name: "flatten",
  doc: "Lays an image (or any shape) out as one flat vector, so dense layers can follow: 28×28×1 becomes 784. No parameters.",
  args: [],
  clauses: FROM_CLAUSE,
  accepts: "any",
  outputShape: (input) => [sizeOf(input)],
  params: () => ({}),
  linear: true,
};

const reshape: LayerSpec = {
  name: "reshape",
  doc: "Gives the values a new shape with the same number of values: `reshape(28, 28, 1)` turns 784 values back into an image, as an autoencoder's decoder does.",
  args: [{ name: "shape", type: { kind: "integers" }, doc: "The new dimensions, without the batch axis.", required: true, positional: true, variadic: true, min: 1 }],
  clauses: FROM_CLAUSE,
  accepts: "any",
  outputShape: (input, args) => {
    const target = args["shape"];
    if (!Array.isArray(target)) return [Number.NaN];
    const to = (target as readonly number[]).map(dimension);
    const fromSize = sizeOf(input);
    const toSize = sizeOf(to);
    if (Number.isNaN(fromSize) || Number.isNaN(toSize) || fromSize === toSize) return to;
    const params = { from: shapeText(input), fromSize, to: shapeText(to), toSize };
    return { error: `cannot reshape ${params.from} (${fromSize} values) to ${params.to} (${toSize} values)`, code: "REG3005", params };
  },
  params: () => ({}),
  linear: true,
};

/** A layer that perturbs values in training and is the identity at prediction: shape-preserving, parameter-free, regularizing. */
function trainingOnlyLayer(name: string, section: LayerSpec["section"], doc: string, arg: ArgSpec): LayerSpec {
  return {
    name,
    section,
    doc,
    args: [arg],
    clauses: FROM_CLAUSE,
    accepts: "any",
    outputShape: (input) => input,
    params: () => ({}),
    trainingOnly: true,
    regularizes: true,
    linear: true,
  };
}

const dropout = trainingOnlyLayer(
  "dropout",
  "7.12",
  "Inverted dropout (Srivastava et al. 2014): in training, each value is zeroed with probability `rate` and the survivors are scaled by 1/(1 − rate); at prediction the layer is the identity. Trains an implicit ensemble of subnetworks that cannot co-adapt. Same as `dropout(rate) after LAYER` in a `regularize` block.",
  { name: "rate", type: { kind: "number" }, doc: "Probability of dropping each value; 0.5 for hidden layers and about 0.2 for inputs are classic choices.", required: true, positional: true, min: 0, max: 1, maxExclusive: true },
);

const gaussianNoise = trainingOnlyLayer(
  "gaussian_noise",
  "7.5",
  "Adds zero-mean Gaussian noise of standard deviation `stddev` in training and is the identity at prediction. On the input it acts like a Tikhonov penalty (Bishop 1995); on hidden units it makes the network robust to small perturbations. Same as `gaussian_noise(σ) on LAYER` in a `regularize` block.",
  { name: "stddev", type: { kind: "number" }, doc: "Standard deviation σ of the noise, in the units of the values it is added to.", required: true, positional: true, min: 0 },
);

const batchNorm: LayerSpec = {
  name: "batch_norm",
  doc: "Batch normalization (Ioffe & Szegedy 2015): normalizes each channel (the last axis) with the batch's mean and variance in training and running averages at prediction, then scales by γ and shifts by β. Speeds training; its batch noise regularizes slightly.",
  args: [
    { name: "momentum", type: { kind: "number" }, doc: "Decay of the running mean and variance used at prediction.", default: 0.99, min: 0, max: 1, maxExclusive: true },
    { name: "epsilon", type: { kind: "number" }, doc: "Added to the variance before the square root, for numerical safety.", default: 1e-3, min: 0, minExclusive: true },
  ],
  clauses: FROM_CLAUSE,
  accepts: "any",
  outputShape: (input) => input,
  params: (input) => {
    const channels = input[input.length - 1] ?? Number.NaN;
    return { gamma: [channels], beta: [channels] };
  },
};

const embedding: LayerSpec = {
  name: "embedding",
  doc: "Maps each integer id in the input vector (0 … input_dim − 1) to a learned vector of `output_dim` numbers: a vector of n ids becomes n×output_dim. Its table is the parameter `embeddings`.",
  args: [
    { name: "input_dim", type: { kind: "integer" }, doc: "Vocabulary size: ids run from 0 to input_dim − 1.", required: true, positional: true, min: 1 },
    { name: "output_dim", type: { kind: "integer" }, doc: "Length of each learned vector.", required: true, positional: true, min: 1 },
  ],
  clauses: FROM_CLAUSE,
  accepts: "vector",
  outputShape: (input, args) => rankError("embedding", "vector", input) ?? [input[0]!, dimensionArg(args, "output_dim")],
  params: (_input, args) => ({ embeddings: [dimensionArg(args, "input_dim"), dimensionArg(args, "output_dim")] }),
};

const activation: LayerSpec = {
  name: "activation",
  doc: "Applies a nonlinearity on its own, e.g. after `batch_norm`: `activation(relu)`. Keeps the shape; no parameters.",
  args: [{ name: "activation", type: { kind: "enum", values: ACTIVATIONS }, doc: "The nonlinearity to apply.", required: true, positional: true }],
  clauses: FROM_CLAUSE,
  accepts: "any",
  outputShape: (input) => input,
  params: () => ({}),
};

export const LAYERS: readonly LayerSpec[] = [
  dense,
  conv2d,
  depthwiseConv2d,
  pool("maxpool", "Max pooling: keeps the largest value in each window, per channel. `maxpool(2)` halves height and width. Makes features tolerant of small shifts."),
  pool("avgpool", "Average pooling: keeps the mean of each window, per channel. `avgpool(2)` halves height and width."),
  globalPool("global_avgpool", "Averages each channel over the whole image: height×width×channels becomes a vector of channels. A parameter-free alternative to flatten + dense."),
  globalPool("global_maxpool", "Keeps each channel's largest value over the whole image: height×width×channels becomes a vector of channels."),
  flatten,
  reshape,
  dropout,
  gaussianNoise,
  batchNorm,
  embedding,
  activation,
];
