import { beforeAll, describe, expect, it } from "vitest";
import * as catalog from "../src/compiler/catalog/index.js";
import type { ArgSpec, FunctionFamily, Hook } from "../src/compiler/catalog/types.js";
import * as reg from "../src/runtime/index.js";
import { selectBackend } from "../src/runtime/backend/select.js";
import type { LayerDef } from "../src/runtime/model/layer.js";
import type { Technique } from "../src/runtime/train/technique.js";
import { camelCase, withDefaults } from "./support/catalog-defaults.js";

/**
 * The catalog and the runtime say the same thing: each technique's hooks
 * are the methods its runtime module implements, and every default the
 * runtime still fills in itself (functions and layers the generated code
 * calls) is the catalog's.
 */

beforeAll(async () => {
  await selectBackend("cpu");
});

const on = { on: ["h.kernel"] };
const unlabeled = { using: "unlabeled" };

/** Each technique's runtime module as generated code makes it; null where the clause is built into the model or `main` instead. */
const MODULES: Record<string, (() => Technique) | null> = {
  l2: () => reg.l2(1e-4, on),
  l1: () => reg.l1(1e-4, on),
  weight_decay: () => reg.weightDecay(1e-3, on),
  maxnorm: () => reg.maxnorm(3, on),
  unitnorm: () => reg.unitnorm(on),
  nonneg: () => reg.nonneg(on),
  norm_ball: () => reg.normBall(4, on),
  augment: () => reg.augment({ rotate: 10 }),
  gaussian_noise: null,
  weight_noise: () => reg.weightNoise(0.01, on),
  label_smoothing: () => reg.labelSmoothing(0.1),
  pseudo_label: () => reg.pseudoLabel(withDefaults("pseudo_label", unlabeled)),
  consistency: () => reg.consistency(withDefaults("consistency", unlabeled)),
  vat: () => reg.vat(withDefaults("vat", { ...unlabeled, eps: 1 })),
  entropy_min: () => reg.entropyMin(withDefaults("entropy_min", unlabeled)),
  uncertainty_weighting: () => reg.uncertaintyWeighting(),
  early_stop: () => reg.earlyStop(withDefaults("early_stop", {})),
  tie: null,
  soft_tie: () => reg.softTie("a.kernel", "b.kernel", { weight: 1 }),
  activity_l1: () => reg.activityL1(1e-4, { on: ["h"] }),
  kl_sparsity: () => reg.klSparsity(withDefaults("kl_sparsity", { on: ["h"], weight: 1 })),
  bagging: null,
  snapshot_ensemble: () => reg.snapshotEnsemble(withDefaults("snapshot_ensemble", {})),
  dropout: null,
  mc_dropout: () => reg.mcDropout(withDefaults("mc_dropout", {})),
  fgsm: () => reg.fgsm(withDefaults("fgsm", { eps: 0.1 })),
  pgd: () => reg.pgd(withDefaults("pgd", { eps: 0.1 })),
  tangent_prop: () => reg.tangentProp(0.1, { along: ["rotate"] }),
  tangent_distance: () => reg.tangentDistance(withDefaults("tangent_distance", { along: ["rotate"] })),
  contractive: () => reg.contractive(0.1, { on: ["h"] }),
};

/** The catalog's name for each `Technique` method that acts on training or prediction. */
const HOOK_OF_METHOD: Readonly<Record<string, Hook>> = {
  transformBatch: "transform_batch",
  perturbParams: "perturb_params",
  lossTerm: "add_loss",
  weighTasks: "weigh_tasks",
  afterStep: "after_step",
  learningRate: "learning_rate",
  epochEnd: "epoch_end",
  trainingEnd: "training_end",
  wrapPrediction: "wrap_prediction",
  finalMetrics: "final_metrics",
};

/** Methods that serve the hooks above rather than act themselves: setup, checkpoints, what an export or the run folder keeps, learned weights, a penalty the step may differentiate itself. */
const SERVING = new Set(["attach", "saveState", "loadState", "exportedPrediction", "keptWeights", "variables", "squaredNormPenalty"]);

/** Hooks no `Technique` method carries: the emitter builds them into the model or `main`. */
const OUTSIDE_THE_LOOP: ReadonlySet<Hook> = new Set(["model_structure", "solver", "share_params", "ensemble"]);

describe("the catalog's hooks", () => {
  it("name a runtime module for every technique, or say the clause is built outside the loop", () => {
    expect(Object.keys(MODULES).sort()).toEqual(catalog.TECHNIQUES.map((t) => t.name).sort());
    for (const technique of catalog.TECHNIQUES) {
      if (MODULES[technique.name] !== null) continue;
      expect(technique.hooks.some((hook) => OUTSIDE_THE_LOOP.has(hook)), technique.name).toBe(true);
      expect(technique.hooks.filter((hook) => !OUTSIDE_THE_LOOP.has(hook)), technique.name).toEqual([]);
    }
  });

  it("are the methods each technique's runtime module implements", () => {
    for (const technique of catalog.TECHNIQUES) {
      const module = MODULES[technique.name]?.();
      if (!module) continue;
      const methods = Object.keys(module).filter((key) => typeof module[key as keyof Technique] === "function");
      for (const method of methods) expect(HOOK_OF_METHOD[method] !== undefined || SERVING.has(method), `${technique.name}: ${method}`).toBe(true);
      const implemented = methods.flatMap((method) => HOOK_OF_METHOD[method] ?? []).sort();
      const declared = technique.hooks.filter((hook) => !OUTSIDE_THE_LOOP.has(hook)).sort();
      expect(implemented, technique.name).toEqual(declared);
    }
  });
});

describe("the catalog's arguments bounded by the epochs", () => {
  it("are the counts each runtime module says it makes once per epoch at most, which a shorter --epochs is refused for", () => {
    for (const technique of catalog.TECHNIQUES) {
      const module = MODULES[technique.name]?.();
      if (!module) continue;
      const bounded = technique.args.filter((arg) => arg.atMostEpochs);
      const expected = bounded.map((arg) => ({ technique: technique.name, argument: arg.name, count: arg.default }));
      expect(module.perEpochCount ? [module.perEpochCount] : [], technique.name).toEqual(expected);
    }
  });
});

/**
 * A runtime call the generated code makes with every argument written,
 * and what of its result shows the arguments' effect. The runtime fills in
 * any argument left out; leaving out one must change nothing.
 */
interface DefaultedCall {
  family: FunctionFamily | "layer";
  name: string;
  observe(options: Record<string, unknown>): unknown;
}

const optimizer = (make: (options: never) => reg.OptimizerDef) => (options: Record<string, unknown>) => {
  const def = make(options as never);
  const created = def.create();
  const config = created.getConfig();
  created.dispose();
  return { name: def.name, learningRate: def.learningRate, decoupledDecay: def.decoupledDecay, config };
};

const schedule = (make: (options: never) => reg.Schedule) => (options: Record<string, unknown>) => {
  const rate = make(options as never);
  return Array.from({ length: 30 }, (_, i) => rate(1, i + 1, 30));
};

const task = (make: (name: string, options: never) => reg.Task) => (options: Record<string, unknown>) => {
  const made = make("t", { output: "out", target: "y", ...options } as never);
  return { weight: made.weight, loss: made.loss, fromLogits: made.fromLogits, metrics: made.metrics.map((m) => m.name) };
};

/** A layer's shapes and its stock TensorFlow.js twin's configuration (strides, padding, activation, bias, momentum, …). */
const layer = (make: (options: never) => LayerDef, input: number[]) => (options: Record<string, unknown>) => {
  const def = make(options as never);
  const built = def.build(input);
  const params = Object.fromEntries(Object.entries(built.params ?? {}).map(([name, spec]) => [name, spec.shape]));
  const twin = def.standard?.("x").layers.map((standard) => {
    const { name: _name, ...config } = standard.getConfig();
    return config;
  });
  return { kind: def.kind, activation: def.activation, outputShape: built.outputShape, params, twin };
};

const CALLS: DefaultedCall[] = [
  { family: "optimizer", name: "sgd", observe: optimizer(reg.sgd) },
  { family: "optimizer", name: "adam", observe: optimizer(reg.adam) },
  { family: "optimizer", name: "adamw", observe: optimizer(reg.adamw) },
  { family: "optimizer", name: "rmsprop", observe: optimizer(reg.rmsprop) },
  { family: "schedule", name: "step", observe: schedule(reg.step) },
  { family: "schedule", name: "exponential", observe: schedule(reg.exponential) },
  { family: "schedule", name: "cosine", observe: schedule(reg.cosine) },
  { family: "task", name: "classify", observe: task(reg.classify) },
  { family: "task", name: "regress", observe: task(reg.regress) },
  { family: "task", name: "reconstruct", observe: task(reg.reconstruct) },
  { family: "layer", name: "dense", observe: layer((options) => reg.dense(4, options), [3]) },
  { family: "layer", name: "conv2d", observe: layer((options) => reg.conv2d(2, [3], options), [8, 8, 3]) },
  { family: "layer", name: "depthwise_conv2d", observe: layer((options) => reg.depthwiseConv2d([3], options), [8, 8, 3]) },
  { family: "layer", name: "maxpool", observe: layer((options) => reg.maxpool(options), [8, 8, 3]) },
  { family: "layer", name: "avgpool", observe: layer((options) => reg.avgpool(options), [8, 8, 3]) },
  { family: "layer", name: "batch_norm", observe: layer((options) => reg.batchNorm(options), [5]) },
];

/** A value other than the default, of the argument's type; undefined where the type allows no other (a one-word enum). */
function otherValue(arg: ArgSpec): unknown {
  const value = arg.default;
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return value === 0 ? 0.5 : value * 2;
  if (Array.isArray(value)) return value.map((n: number) => n + 1);
  return arg.type.kind === "enum" ? arg.type.values.find((word) => word !== value) : undefined;
}

const argsOf = (call: DefaultedCall): readonly ArgSpec[] => (call.family === "layer" ? catalog.layer(call.name)?.args : catalog.fn(call.family, call.name)?.args) ?? [];

describe("defaults the runtime fills in", () => {
  it("are checked for every function and layer whose catalog entry has a default", () => {
    const families: FunctionFamily[] = ["optimizer", "schedule", "task"];
    const withDefault = (args: readonly ArgSpec[]) => args.some((arg) => arg.default !== undefined);
    const expected = [
      ...families.flatMap((family) => catalog.functionsOf(family).filter((fn) => withDefault(fn.args)).map((fn) => `${family} ${fn.name}`)),
      ...catalog.LAYERS.filter((spec) => withDefault(spec.args)).map((spec) => `layer ${spec.name}`),
    ];
    expect(CALLS.map((call) => `${call.family} ${call.name}`).sort()).toEqual(expected.sort());
  });

  it("are the catalog's: leaving out any one argument changes nothing", () => {
    for (const call of CALLS) {
      const defaults = argsOf(call).filter((arg) => arg.default !== undefined);
      const written = Object.fromEntries(defaults.map((arg) => [camelCase(arg.name), arg.default]));
      const complete = call.observe(written);
      for (const arg of defaults) {
        const { [camelCase(arg.name)]: _left, ...rest } = written;
        expect(call.observe(rest), `${call.name} without ${arg.name}`).toEqual(complete);
      }
    }
  });

  it("are seen by the observation: writing another value changes it", () => {
    for (const call of CALLS) {
      const defaults = argsOf(call).filter((arg) => arg.default !== undefined);
      const written = Object.fromEntries(defaults.map((arg) => [camelCase(arg.name), arg.default]));
      for (const arg of defaults) {
        const other = otherValue(arg);
        if (other === undefined) continue;
        expect(call.observe({ ...written, [camelCase(arg.name)]: other }), `${call.name} with another ${arg.name}`).not.toEqual(call.observe(written));
      }
    }
  });
});
