import * as tf from "@tensorflow/tfjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LAYERS } from "../../src/compiler/catalog/layers.js";
import type { ResolvedArgs, Value } from "../../src/compiler/catalog/types.js";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { ACTIVATIONS, applyActivation } from "../../src/runtime/model/activations.js";
import type { ForwardOptions, LayerDef } from "../../src/runtime/model/layer.js";
import * as layers from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";

const TRAIN: ForwardOptions = { training: true, seed: 11 };
const PREDICT: ForwardOptions = { training: false, seed: 11 };

const made: Model[] = [];
function model(inputShape: readonly number[], defs: LayerDef[], seed = 1): Model {
  const built = new Model("test", inputShape, defs, seed);
  made.push(built);
  return built;
}

function set(target: Model, key: string, values: number[]): void {
  const variable = target.params.get(key) ?? target.state.get(key)!;
  variable.assign(tf.tensor(values, variable.shape));
}

/** The last layer's output on `x` (a nested array), as a flat list. */
function run(target: Model, x: tf.TensorLike, options: ForwardOptions = PREDICT): number[] {
  return tf.tidy(() => Array.from(target.forward(tf.tensor(x), options).output.dataSync()));
}

function expectAllClose(actual: readonly number[], expected: readonly number[], digits = 4): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value, `element ${i}`).toBeCloseTo(expected[i]!, digits));
}

beforeAll(async () => {
  await selectBackend("cpu");
});

afterEach(() => {
  for (const done of made.splice(0)) done.dispose();
});

describe("shapes follow the catalog's rules", () => {
  interface Row {
    layer: LayerDef;
    /** The same layer as the spec's checker sees it: catalog arguments, defaults left out. */
    args: Record<string, Value>;
    input: number[];
    output: number[];
  }
  // Expected outputs worked out by hand from floor((n − k)/s) + 1 (valid) and ceil(n/s) (same).
  const rows: Row[] = [
    { layer: layers.dense(7), args: { units: 7 }, input: [5], output: [7] },
    { layer: layers.dense(3, { useBias: false }), args: { units: 3, use_bias: false }, input: [4], output: [3] },
    { layer: layers.conv2d(4, 3), args: { filters: 4, kernel: [3] }, input: [8, 8, 2], output: [6, 6, 4] },
    {
      layer: layers.conv2d(4, [3, 2], { stride: 2, padding: "same" }),
      args: { filters: 4, kernel: [3, 2], stride: [2], padding: "same" },
      input: [7, 8, 1],
      output: [4, 4, 4],
    },
    { layer: layers.conv2d(5, 3, { stride: [2, 1] }), args: { filters: 5, kernel: [3], stride: [2, 1] }, input: [9, 9, 1], output: [4, 7, 5] },
    { layer: layers.depthwiseConv2d(3, { depthMultiplier: 2 }), args: { kernel: [3], depth_multiplier: 2 }, input: [6, 6, 3], output: [4, 4, 6] },
    { layer: layers.depthwiseConv2d(2, { stride: 2, padding: "same" }), args: { kernel: [2], stride: [2], padding: "same" }, input: [5, 5, 2], output: [3, 3, 2] },
    { layer: layers.maxpool(), args: {}, input: [28, 28, 1], output: [14, 14, 1] },
    { layer: layers.maxpool({ size: 3 }), args: { size: [3] }, input: [10, 10, 2], output: [3, 3, 2] },
    { layer: layers.maxpool({ size: 3, stride: 1 }), args: { size: [3], stride: [1] }, input: [5, 5, 1], output: [3, 3, 1] },
    { layer: layers.avgpool({ padding: "same" }), args: { padding: "same" }, input: [5, 5, 3], output: [3, 3, 3] },
    { layer: layers.avgpool({ size: [2, 3] }), args: { size: [2, 3] }, input: [6, 7, 1], output: [3, 2, 1] },
    { layer: layers.globalAvgpool(), args: {}, input: [4, 5, 6], output: [6] },
    { layer: layers.globalMaxpool(), args: {}, input: [4, 5, 6], output: [6] },
    { layer: layers.flatten(), args: {}, input: [28, 28, 1], output: [784] },
    { layer: layers.reshape([28, 28, 1]), args: { shape: [28, 28, 1] }, input: [784], output: [28, 28, 1] },
    { layer: layers.dropout(0.5), args: { rate: 0.5 }, input: [3, 4], output: [3, 4] },
    { layer: layers.gaussianNoise(0.1), args: { stddev: 0.1 }, input: [5], output: [5] },
    { layer: layers.batchNorm(), args: {}, input: [4, 4, 3], output: [4, 4, 3] },
    { layer: layers.embedding(10, 4), args: { input_dim: 10, output_dim: 4 }, input: [6], output: [6, 4] },
    { layer: layers.activation("relu"), args: { activation: "relu" }, input: [2, 3], output: [2, 3] },
  ];

  /** What the checker computes for the same layer, with the catalog's defaults filled in as its argument binder does. */
  function catalogSays(kind: string, args: Record<string, Value>, input: number[]) {
    const spec = LAYERS.find((l) => l.name === kind)!;
    const bound: Record<string, Value | undefined> = {};
    for (const arg of spec.args) bound[arg.name] = args[arg.name] ?? arg.default;
    return { output: spec.outputShape(input, bound as ResolvedArgs), params: spec.params(input, bound as ResolvedArgs) };
  }

  it("has a factory, named in camelCase, for every layer of the catalog", () => {
    const camel = (name: string) => name.replace(/_(.)/g, (_, letter: string) => letter.toUpperCase());
    for (const spec of LAYERS) expect(Object.keys(layers), spec.name).toContain(camel(spec.name));
    expect(new Set(rows.map((row) => row.layer.kind))).toEqual(new Set(LAYERS.map((spec) => spec.name)));
  });

  it.each(rows.map((row) => [`${row.layer.kind} on ${row.input.join("×")}`, row] as const))("%s", (_, row) => {
    const built = model(row.input, [row.layer]);
    const key = `${row.layer.kind}_0`;
    expect(built.outputShapes.get(key)).toEqual(row.output);
    const catalog = catalogSays(row.layer.kind, row.args, row.input);
    expect(catalog.output).toEqual(row.output);
    const paramShapes = Object.fromEntries([...built.params].map(([name, v]) => [name.slice(key.length + 1), v.shape]));
    expect(paramShapes).toEqual(catalog.params);
    const outputShape = tf.tidy(() => built.forward(tf.zeros([2, ...row.input]), TRAIN).output.shape);
    expect(outputShape).toEqual([2, ...row.output]);
  });

  it("rejects an input a layer cannot take, naming the layer", () => {
    expect(() => model([28, 28, 1], [layers.dense(3, { name: "h" })])).toThrow(
      "layer h: dense expects a flat vector input, got shape 28×28×1",
    );
    expect(() => model([2, 2, 1], [layers.conv2d(1, 3)])).toThrow("conv2d window 3×3 is larger than its input 2×2×1");
    expect(() => model([10], [layers.reshape([3, 3])])).toThrow("cannot reshape 10 (10 values) to 3×3 (9 values)");
  });
});

describe("activations", () => {
  it("are the catalog's", () => {
    const arg = LAYERS.find((l) => l.name === "activation")!.args[0]!;
    expect(arg.type).toEqual({ kind: "enum", values: [...ACTIVATIONS] });
  });

  it("compute what their names say", () => {
    const at = (name: (typeof ACTIVATIONS)[number], xs: number[]) =>
      tf.tidy(() => Array.from(applyActivation(tf.tensor1d(xs), name).dataSync()));
    const xs = [-1, 0, 2];
    expectAllClose(at("none", xs), xs);
    expectAllClose(at("relu", xs), [0, 0, 2]);
    expectAllClose(at("sigmoid", xs), xs.map((x) => 1 / (1 + Math.exp(-x))));
    expectAllClose(at("tanh", xs), xs.map(Math.tanh));
    const total = xs.reduce((sum, x) => sum + Math.exp(x), 0);
    expectAllClose(at("softmax", xs), xs.map((x) => Math.exp(x) / total));
    expectAllClose(at("elu", xs), [Math.exp(-1) - 1, 0, 2]);
    expectAllClose(at("selu", xs), [1.0507009873554805 * 1.6732632423543772 * (Math.exp(-1) - 1), 0, 1.0507009873554805 * 2]);
    // x·Φ(x): Φ(−1) = 0.158655, Φ(2) = 0.977250.
    expectAllClose(at("gelu", xs), [-0.158655, 0, 2 * 0.97725]);
    expectAllClose(at("leaky_relu", xs), [-0.2, 0, 2]);
    expectAllClose(at("softplus", xs), xs.map((x) => Math.log(1 + Math.exp(x))));
  });
});

describe.each(["cpu", "wasm"] as const)("forward passes by hand on %s", (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });
  afterAll(async () => {
    await selectBackend("cpu");
  });

  it("dense: activation(x·W + b)", () => {
    const built = model([2], [layers.dense(3, { name: "h", activation: "relu" })]);
    set(built, "h.kernel", [1, 2, 3, 4, 5, 6]);
    set(built, "h.bias", [0.5, -20, 0]);
    // [1, 2]·[[1, 2, 3], [4, 5, 6]] = [9, 12, 15]; + b = [9.5, −8, 15]; relu.
    expectAllClose(run(built, [[1, 2]]), [9.5, 0, 15]);
  });

  it("conv2d, valid and same", () => {
    const image = [[[[1], [2], [3]], [[4], [5], [6]], [[7], [8], [9]]]];
    const valid = model([3, 3, 1], [layers.conv2d(1, 2, { name: "c" })]);
    set(valid, "c.kernel", [1, 2, 3, 4]);
    set(valid, "c.bias", [1]);
    // Top-left window: 1·1 + 2·2 + 4·3 + 5·4 = 37, + 1.
    expectAllClose(run(valid, image), [38, 48, 68, 78]);

    const same = model([3, 3, 1], [layers.conv2d(1, 2, { name: "c", stride: 2, padding: "same" })]);
    set(same, "c.kernel", [1, 2, 3, 4]);
    set(same, "c.bias", [1]);
    // Output 2×2; padding one zero row and column after the image (TensorFlow puts the odd pad last).
    expectAllClose(run(same, image), [38, 1 * 3 + 3 * 6 + 1, 1 * 7 + 2 * 8 + 1, 1 * 9 + 1]);
  });

  it("depthwise_conv2d keeps channels apart", () => {
    const built = model([2, 2, 2], [layers.depthwiseConv2d(2, { name: "d", useBias: false })]);
    // Kernel [h, w, channel, 1]: channel 0 sums its window, channel 1 takes top-left minus bottom-right.
    set(built, "d.kernel", [1, 1, 1, 0, 1, 0, 1, -1]);
    const x = [[[[1, 10], [2, 20]], [[3, 30], [4, 40]]]];
    expectAllClose(run(built, x), [1 + 2 + 3 + 4, 10 - 40]);
  });

  it("pools, local and global", () => {
    const grid = [Array.from({ length: 4 }, (_, r) => Array.from({ length: 4 }, (_, c) => [r * 4 + c]))];
    expectAllClose(run(model([4, 4, 1], [layers.maxpool()]), grid), [5, 7, 13, 15]);
    expectAllClose(run(model([4, 4, 1], [layers.avgpool()]), grid), [2.5, 4.5, 10.5, 12.5]);
    expectAllClose(run(model([4, 4, 1], [layers.maxpool({ size: 3, stride: 1 })]), grid), [10, 11, 14, 15]);
    const pixels = [[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]];
    expectAllClose(run(model([2, 2, 2], [layers.globalAvgpool()]), pixels), [4, 5]);
    expectAllClose(run(model([2, 2, 2], [layers.globalMaxpool()]), pixels), [7, 8]);
  });

  it("embedding looks rows up by id", () => {
    const built = model([3], [layers.embedding(3, 2, { name: "e" })]);
    set(built, "e.embeddings", [0, 1, 10, 11, 20, 21]);
    expectAllClose(run(built, [[2, 0, 2]]), [20, 21, 0, 1, 20, 21]);
  });

  it("flatten and reshape keep the values in order", () => {
    const built = model([2, 2], [layers.flatten(), layers.reshape([4, 1])]);
    expectAllClose(run(built, [[[1, 2], [3, 4]]]), [1, 2, 3, 4]);
  });
});

describe("dropout", () => {
  const ones = () => tf.ones([200, 100]);
  const sample = (target: Model, options: ForwardOptions) => tf.tidy(() => Array.from(target.forward(ones(), options).output.dataSync()));

  it("is the identity at prediction", () => {
    const built = model([100], [layers.dropout(0.3)]);
    expect(sample(built, PREDICT).every((v) => v === 1)).toBe(true);
  });

  it.each([
    ["training", TRAIN],
    ["Monte-Carlo prediction", { training: false, dropoutAtPrediction: { rowKeys: Uint32Array.from({ length: 200 }, (_, row) => row) }, seed: 11 }],
  ] as const)("in %s zeroes about `rate` of the values and scales the rest by 1/(1 − rate)", (_, options) => {
    const built = model([100], [layers.dropout(0.3)]);
    const values = sample(built, options);
    const zeros = values.filter((v) => v === 0).length / values.length;
    expect(zeros).toBeGreaterThan(0.28);
    expect(zeros).toBeLessThan(0.32);
    for (const v of values.filter((v) => v !== 0)) expect(v).toBeCloseTo(1 / 0.7, 5);
  });

  it("under Monte-Carlo prediction draws a row's mask from the pass's seed and the row's key alone, not from its place in the batch", () => {
    const built = model([100], [layers.dropout(0.5)]);
    const masks = (keys: number[], seed = 11) =>
      tf.tidy(() => (built.forward(tf.ones([keys.length, 100]), { training: false, dropoutAtPrediction: { rowKeys: Uint32Array.from(keys) }, seed }).output.arraySync() as number[][]));
    const [alone] = masks([7]);
    const [other, second, again] = masks([3, 7, 7]);
    expect(second).toEqual(alone);
    expect(again).toEqual(alone);
    expect(other).not.toEqual(alone);
    expect(masks([7], 12)[0]).not.toEqual(alone);
  });

  it("draws its mask from the pass's seed and the layer's position", () => {
    const built = model([100], [
      layers.activation("none", { name: "x" }),
      layers.dropout(0.5, { name: "a", from: "x" }),
      layers.dropout(0.5, { name: "b", from: "x" }),
    ]);
    const masks = (seed: number) =>
      tf.tidy(() => {
        const { layers: outputs } = built.forward(ones(), { training: true, seed });
        return [Array.from(outputs.get("a")!.dataSync()), Array.from(outputs.get("b")!.dataSync())];
      });
    const [a, b] = masks(1);
    expect(masks(1)).toEqual([a, b]);
    expect(masks(2)[0]).not.toEqual(a);
    expect(b).not.toEqual(a);
  });
});

describe("gaussian_noise", () => {
  it("adds noise of standard deviation σ in training only", () => {
    const built = model([50], [layers.gaussianNoise(0.1)]);
    const noisy = tf.tidy(() => Array.from(built.forward(tf.zeros([400, 50]), TRAIN).output.dataSync()));
    const mean = noisy.reduce((sum, v) => sum + v, 0) / noisy.length;
    const std = Math.sqrt(noisy.reduce((sum, v) => sum + (v - mean) ** 2, 0) / noisy.length);
    expect(Math.abs(mean)).toBeLessThan(0.003);
    expect(std).toBeGreaterThan(0.097);
    expect(std).toBeLessThan(0.103);
    const again = tf.tidy(() => Array.from(built.forward(tf.zeros([400, 50]), TRAIN).output.dataSync()));
    expect(again).toEqual(noisy);
    expect(run(built, [Array(50).fill(0.5)]).every((v) => v === 0.5)).toBe(true);
  });
});

describe("batch_norm", () => {
  const x = [
    [1, 10],
    [3, 20],
    [5, 60],
  ];
  // Per channel: means 3 and 30; biased variances 8/3 and 1400/3.
  const mean = [3, 30];
  const variance = [8 / 3, 1400 / 3];
  const epsilon = 1e-3;
  const normalize = (m: number[], v: number[], gamma: number[], beta: number[]) =>
    x.flatMap((row) => row.map((value, c) => ((value - m[c]!) / Math.sqrt(v[c]! + epsilon)) * gamma[c]! + beta[c]!));

  function normModel(): Model {
    const built = model([2], [layers.batchNorm({ name: "bn", momentum: 0.9 })]);
    set(built, "bn.gamma", [2, 0.5]);
    set(built, "bn.beta", [1, -1]);
    return built;
  }

  it("normalizes by the batch in training and moves the averages", () => {
    const built = normModel();
    expectAllClose(run(built, x, TRAIN), normalize(mean, variance, [2, 0.5], [1, -1]));
    // m ← 0.9·m + 0.1·batch, from m = 0 and v = 1.
    const movedMean = mean.map((m) => 0.1 * m);
    const movedVariance = variance.map((v) => 0.9 + 0.1 * v);
    expectAllClose(Array.from(built.state.get("bn.moving_mean")!.dataSync()), movedMean);
    expectAllClose(Array.from(built.state.get("bn.moving_variance")!.dataSync()), movedVariance);
    expectAllClose(run(built, x, PREDICT), normalize(movedMean, movedVariance, [2, 0.5], [1, -1]));
  });

  it("uses the moving averages at prediction, and leaves them alone there or when told to", () => {
    const built = normModel();
    expectAllClose(run(built, x, PREDICT), normalize([0, 0], [1, 1], [2, 0.5], [1, -1]));
    run(built, x, { ...TRAIN, updateMovingStats: false });
    expectAllClose(Array.from(built.state.get("bn.moving_mean")!.dataSync()), [0, 0]);
    expectAllClose(Array.from(built.state.get("bn.moving_variance")!.dataSync()), [1, 1]);
  });

  it("normalizes an image per channel over the batch, height and width", () => {
    const built = model([3, 3, 2], [layers.batchNorm()]);
    const out = tf.tidy(() => {
      const y = built.forward(tf.randomUniform([4, 3, 3, 2], 0, 10, "float32", 3), TRAIN).output;
      const { mean: m, variance: v } = tf.moments(y, [0, 1, 2]);
      return [Array.from(m.dataSync()), Array.from(v.dataSync())];
    });
    expectAllClose(out[0]!, [0, 0]);
    expectAllClose(out[1]!, [1, 1], 2);
    expect(built.trainableParams().map((v) => v.shape)).toEqual([[2], [2]]);
    expect([...built.state.keys()]).toEqual(["batch_norm_0.moving_mean", "batch_norm_0.moving_variance"]);
  });

  it("moves its averages inside a gradient tape without leaking tensors", () => {
    const built = normModel();
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => tf.sum(built.forward(tf.tensor(x), TRAIN).output) as tf.Scalar, built.trainableParams());
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    expectAllClose(Array.from(built.state.get("bn.moving_mean")!.dataSync()), [0.3, 3]);
  });
});
