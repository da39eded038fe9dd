import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { LayerDef } from "../../src/runtime/model/layer.js";
import {
  avgpool,
  batchNorm,
  conv2d,
  dense,
  depthwiseConv2d,
  dropout,
  embedding,
  flatten,
  gaussianNoise,
  globalMaxpool,
  maxpool,
} from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";

const made: Model[] = [];
function model(name: string, inputShape: readonly number[], defs: LayerDef[], seed = 1): Model {
  const built = new Model(name, inputShape, defs, seed);
  made.push(built);
  return built;
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());

beforeAll(async () => {
  await selectBackend("cpu");
});

afterEach(() => {
  for (const done of made.splice(0)) done.dispose();
});

/** Example A's model block. */
const mlp = () => [
  flatten(),
  dense(512, { name: "h1", activation: "relu" }),
  dropout(0.5),
  dense(512, { name: "h2", activation: "relu" }),
  dropout(0.5),
  dense(10, { name: "out" }),
];

/** Example B's model block. */
const cnn = () => [
  conv2d(16, 3, { name: "c1", activation: "relu" }),
  maxpool({ size: 2 }),
  conv2d(32, 3, { name: "c2", activation: "relu" }),
  maxpool({ size: 2 }),
  flatten(),
  dense(128, { name: "h", activation: "relu" }),
  dense(10, { name: "out" }),
];

/** Example D's model block: two heads read the shared trunk's t2. */
const shared = () => [
  dense(64, { name: "t1", activation: "relu" }),
  dense(32, { name: "t2", activation: "relu" }),
  dense(1, { name: "mpg", from: "t2" }),
  dense(3, { name: "origin", from: "t2" }),
];

describe("the contract examples' models", () => {
  it("A: 784→512→512→10 has 669,706 parameters, keyed by layer name or kind_index", () => {
    const built = model("mlp", [28, 28, 1], mlp());
    expect(built.paramCount).toBe(669_706);
    expect([...built.params.keys()]).toEqual(["h1.kernel", "h1.bias", "h2.kernel", "h2.bias", "out.kernel", "out.bias"]);
    expect([...built.outputShapes]).toEqual([
      ["flatten_0", [784]],
      ["h1", [512]],
      ["dropout_2", [512]],
      ["h2", [512]],
      ["dropout_4", [512]],
      ["out", [10]],
    ]);
    expect(built.trainableParams()).toEqual([...built.params.values()]);
  });

  it("B: the convnet's shapes and 108,618 parameters", () => {
    const built = model("cnn", [28, 28, 1], cnn());
    // c1 3·3·1·16 + 16; c2 3·3·16·32 + 32; h 800·128 + 128; out 128·10 + 10.
    expect(built.paramCount).toBe(160 + 4_640 + 102_528 + 1_290);
    expect(built.outputShapes.get("maxpool_3")).toEqual([5, 5, 32]);
    expect(built.params.get("h.kernel")!.shape).toEqual([800, 128]);
    const output = tf.tidy(() => built.forward(tf.zeros([2, 28, 28, 1]), { training: true, seed: 1 }).output.shape);
    expect(output).toEqual([2, 10]);
  });

  it("D: two heads read t2; every layer's output is there by name, and the last is the output", () => {
    const built = model("shared", [5], shared());
    tf.tidy(() => {
      const x = tf.randomNormal([4, 5], 0, 1, "float32", 2);
      const { output, layers } = built.forward(x, { training: false, seed: 1 });
      expect([...layers.keys()]).toEqual(["t1", "t2", "mpg", "origin", "output"]);
      expect(output).toBe(layers.get("origin"));
      expect(layers.get("mpg")!.shape).toEqual([4, 1]);
      const mpgByHand = tf.add(tf.matMul(layers.get("t2")!, built.params.get("mpg.kernel")!), built.params.get("mpg.bias")!);
      expect(values(layers.get("mpg")!)).toEqual(values(mpgByHand));
    });
    expect(built.params.get("origin.kernel")!.shape).toEqual([32, 3]);
  });
});

describe("from", () => {
  it("may name a layer declared later", () => {
    const built = model("ahead", [2], [
      dense(3, { name: "x" }),
      dense(2, { name: "a", from: "c" }),
      dense(5, { name: "b", from: "x" }),
      dense(4, { name: "c" }),
    ]);
    expect(built.params.get("a.kernel")!.shape).toEqual([4, 2]);
    expect(built.params.get("c.kernel")!.shape).toEqual([5, 4]);
    const shape = tf.tidy(() => built.forward(tf.zeros([1, 2]), { training: false, seed: 1 }).output.shape);
    expect(shape).toEqual([1, 4]);
  });

  it("must name a layer of the model", () => {
    expect(() => new Model("m", [2], [dense(3, { name: "t1" }), dense(1, { name: "head", from: "t3" })], 1)).toThrow(
      'layer head of model m reads from "t3", which is not a layer of it (layers: t1, head)',
    );
  });

  it("must not loop, and names must be unique", () => {
    expect(() => new Model("m", [2], [dense(2, { name: "a", from: "b" }), dense(2, { name: "b" })], 1)).toThrow(
      "model m has a cycle of from clauses: a → b → a",
    );
    expect(() => new Model("m", [2], [dense(2, { name: "a" }), dense(2, { name: "a" })], 1)).toThrow('model m has two layers named "a"');
  });
});

describe("initial values", () => {
  const all = (built: Model) => [...built.params, ...built.state].map(([key, v]) => [key, values(v)] as const);

  it("draw kernels from Glorot-uniform with Keras's fans, biases zero", () => {
    const built = model("glorot", [28, 28, 4], [
      conv2d(16, 3, { name: "c" }),
      depthwiseConv2d(3, { name: "d", depthMultiplier: 2 }),
      globalMaxpool(),
      dense(512, { name: "h" }),
    ]);
    // dense [32, 512]: 32 + 512; conv [3, 3, 4, 16]: 9·4 + 9·16; depthwise [3, 3, 16, 2]: 9·16 + 9·2.
    const limits = { "h.kernel": Math.sqrt(6 / 544), "c.kernel": Math.sqrt(6 / 180), "d.kernel": Math.sqrt(6 / 162) };
    for (const [key, limit] of Object.entries(limits)) {
      const w = values(built.params.get(key)!);
      const largest = Math.max(...w.map(Math.abs));
      expect(largest, key).toBeLessThanOrEqual(limit);
      expect(largest, key).toBeGreaterThan(0.98 * limit);
      const mean = w.reduce((sum, v) => sum + v, 0) / w.length;
      const variance = w.reduce((sum, v) => sum + (v - mean) ** 2, 0) / w.length;
      expect(Math.abs(mean), key).toBeLessThan(0.1 * limit);
      // U(−l, l) has variance l²/3.
      expect(Math.abs(variance / (limit ** 2 / 3) - 1), key).toBeLessThan(0.15);
    }
    for (const key of ["c.bias", "d.bias", "h.bias"]) expect(values(built.params.get(key)!).every((v) => v === 0)).toBe(true);
  });

  it("start batch norm at γ = 1, β = 0, mean 0, variance 1, and embeddings within ±0.05", () => {
    const built = model("rest", [4], [embedding(100, 8, { name: "e" }), batchNorm({ name: "bn" })]);
    expect(all(built).filter(([key]) => key.startsWith("bn."))).toEqual([
      ["bn.gamma", Array(8).fill(1)],
      ["bn.beta", Array(8).fill(0)],
      ["bn.moving_mean", Array(8).fill(0)],
      ["bn.moving_variance", Array(8).fill(1)],
    ]);
    const table = values(built.params.get("e.embeddings")!);
    expect(Math.max(...table.map(Math.abs))).toBeLessThanOrEqual(0.05);
    expect(new Set(table).size).toBe(800);
  });

  it("are a function of the seed; reinitialize gives what a new model with that seed has", () => {
    const layers = () => [conv2d(2, 2), batchNorm(), flatten(), dense(3), dense(3)];
    const first = model("m", [3, 3, 1], layers(), 5);
    const again = model("m", [3, 3, 1], layers(), 5);
    const other = model("m", [3, 3, 1], layers(), 6);
    expect(all(again)).toEqual(all(first));
    expect(values(other.params.get("dense_3.kernel")!)).not.toEqual(values(first.params.get("dense_3.kernel")!));
    expect(values(first.params.get("dense_4.kernel")!)).not.toEqual(values(first.params.get("dense_3.kernel")!));

    tf.tidy(() => {
      first.forward(tf.ones([2, 3, 3, 1]), { training: true, seed: 1 });
    });
    for (const variable of first.trainableParams()) variable.assign(tf.zerosLike(variable));
    first.reinitialize(6);
    expect(all(first)).toEqual(all(other));
    first.reinitialize(5);
    expect(all(first)).toEqual(all(again));
  });
});

describe("variables", () => {
  it("have unique tfjs names, so models of the same name coexist, and dispose frees them", () => {
    const a = new Model("shared", [5], shared(), 1);
    const b = new Model("shared", [5], shared(), 1);
    const names = (m: Model) => [...m.params.values()].map((v) => v.name);
    for (const name of names(a)) expect(name).toMatch(/^shared_\d+\/(t1|t2|mpg|origin)\.(kernel|bias)$/);
    expect(new Set([...names(a), ...names(b)]).size).toBe(16);
    a.dispose();
    b.dispose();
    const registered = Object.keys(tf.engine().registeredVariables);
    expect(registered.filter((name) => names(a).includes(name))).toEqual([]);
  });

  it("can be replaced for one pass by key (weight noise, tied weights)", () => {
    const built = model("m", [2], [dense(3, { name: "h" })]);
    tf.tidy(() => {
      const kernel = tf.zeros([2, 3]);
      const bias = tf.tensor1d([1, 2, 3]);
      const { output } = built.forward(tf.ones([1, 2]), { training: false, seed: 1, params: new Map([["h.kernel", kernel], ["h.bias", bias]]) });
      expect(values(output)).toEqual([1, 2, 3]);
    });
    expect(values(built.params.get("h.bias")!)).toEqual([0, 0, 0]);
  });

  it("reject an input of the wrong shape", () => {
    const built = model("m", [28, 28, 1], mlp());
    expect(() => built.forward(tf.zeros([1, 784]), { training: false, seed: 1 })).toThrow(
      "model m expects inputs of shape 28×28×1, got 784",
    );
  });
});

describe.each(["cpu", "wasm"] as const)("gradients on %s", (backend) => {
  /** Every trainable kind of layer, and the random and pooling ones between them. */
  const everything = () => [
    conv2d(3, 3, { name: "c", padding: "same", activation: "tanh" }),
    batchNorm({ name: "bn" }),
    depthwiseConv2d(2, { name: "d", depthMultiplier: 2, activation: "elu" }),
    maxpool(),
    avgpool({ size: 1 }),
    gaussianNoise(0.1),
    flatten(),
    dropout(0.2),
    dense(4, { name: "out", activation: "gelu" }),
  ];

  /** Gradients of a loss over a tiny model, by parameter key, computed on `on`. */
  async function gradients(on: "cpu" | "wasm", layers: LayerDef[], inputShape: number[], x: () => tf.Tensor) {
    await selectBackend(on);
    try {
      const built = model("grads", inputShape, layers, 3);
      const { value, grads } = tf.variableGrads(() => {
        const { output } = built.forward(x(), { training: true, seed: 4 });
        return tf.sum(tf.square(output)) as tf.Scalar;
      }, built.trainableParams());
      const byKey = new Map([...built.params].map(([key, v]) => [key, values(grads[v.name]!)]));
      tf.dispose([value, ...Object.values(grads)]);
      return byKey;
    } finally {
      await selectBackend("cpu");
    }
  }

  it.each([
    ["conv, batch norm, depthwise, pools, noise, dropout, dense", everything, [6, 6, 2], () => tf.randomNormal([3, 6, 6, 2], 0, 1, "float32", 9)],
    ["embedding", () => [embedding(5, 3, { name: "e" }), flatten(), dense(2, { name: "out" })], [4], () => tf.tensor2d([[0, 1, 4, 1], [2, 2, 3, 0]])],
  ] as const)("reach every parameter through %s, and match cpu", async (_, layers, inputShape, x) => {
    const got = await gradients(backend, layers(), [...inputShape], x);
    const reference = backend === "cpu" ? got : await gradients("cpu", layers(), [...inputShape], x);
    expect([...got.keys()].length).toBeGreaterThan(1);
    for (const [key, gradient] of got) {
      expect(gradient.every(Number.isFinite), key).toBe(true);
      expect(gradient.some((g) => g !== 0), key).toBe(true);
      const expected = reference.get(key)!;
      const scale = Math.max(1e-6, ...expected.map(Math.abs));
      gradient.forEach((g, i) => expect(Math.abs(g - expected[i]!) / scale, `${key}[${i}]`).toBeLessThan(1e-4));
    }
  });
});
