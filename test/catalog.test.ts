import { describe, expect, it } from "vitest";
import {
  FUNCTIONS,
  LAYERS,
  SETTINGS,
  TECHNIQUES,
  fn,
  functionsOf,
  layer,
  setting,
  technique,
  type ArgSpec,
  type BookSection,
  type LayerSpec,
  type ResolvedArgs,
  type Shape,
  type ShapeError,
  type Value,
} from "../src/compiler/catalog/index.js";

/** The technique table of the language design, section by section, with the arguments it names. */
const TABLE: Record<BookSection, Record<string, string[]>> = {
  "7.1": { l2: [], l1: [], weight_decay: [] },
  "7.2": { maxnorm: [], unitnorm: [], nonneg: [], norm_ball: [] },
  "7.3": {},
  "7.4": { augment: ["rotate", "translate", "scale", "shear", "flip", "elastic", "crop"] },
  "7.5": { gaussian_noise: [], weight_noise: [], label_smoothing: [] },
  "7.6": { pseudo_label: [], consistency: [], vat: [], entropy_min: [] },
  "7.7": { uncertainty_weighting: [] },
  "7.8": { early_stop: ["monitor", "patience", "min_delta", "restore_best", "then"] },
  "7.9": { tie: [], soft_tie: ["weight"] },
  "7.10": { activity_l1: [], kl_sparsity: ["target", "weight"] },
  "7.11": { bagging: ["members", "combine"], snapshot_ensemble: ["cycles"] },
  "7.12": { dropout: [], mc_dropout: ["samples"] },
  "7.13": { fgsm: ["eps", "weight"], pgd: ["eps", "steps", "step", "weight"] },
  "7.14": { tangent_prop: ["weight"], tangent_distance: ["k"] },
};

function argNames(args: readonly ArgSpec[]): string[] {
  return args.map((a) => a.name);
}

function allArgLists(): Array<{ owner: string; args: readonly ArgSpec[] }> {
  return [
    ...LAYERS.map((l) => ({ owner: `layer ${l.name}`, args: l.args })),
    ...TECHNIQUES.map((t) => ({ owner: `technique ${t.name}`, args: t.args })),
    ...FUNCTIONS.map((f) => ({ owner: `${f.family} ${f.name}`, args: f.args })),
    ...SETTINGS.flatMap((s) => (s.value.kind === "args" ? [{ owner: `setting ${s.block}.${s.name}`, args: s.value.args }] : [])),
  ];
}

function inRange(spec: ArgSpec, value: number): boolean {
  const aboveMin = spec.min === undefined || (spec.minExclusive ? value > spec.min : value >= spec.min);
  const belowMax = spec.max === undefined || (spec.maxExclusive ? value < spec.max : value <= spec.max);
  return aboveMin && belowMax;
}

function defaultFits(spec: ArgSpec, value: Value): boolean {
  switch (spec.type.kind) {
    case "number":
    case "range":
      return typeof value === "number" ? inRange(spec, value) : Array.isArray(value) && value.length === 2 && value.every((v) => inRange(spec, v));
    case "integer":
      return typeof value === "number" && Number.isInteger(value) && inRange(spec, value);
    case "integers":
      return Array.isArray(value) && value.every((v) => Number.isInteger(v) && inRange(spec, v));
    case "boolean":
      return typeof value === "boolean";
    case "enum":
      return typeof value === "string" && spec.type.values.includes(value);
    default:
      return typeof value === "string";
  }
}

function spec(name: string): LayerSpec {
  const found = layer(name);
  if (!found) throw new Error(`no layer ${name}`);
  return found;
}

/** Binds like the checker does: given values over the layer's defaults. */
function withDefaults(name: string, given: ResolvedArgs): ResolvedArgs {
  const defaults = Object.fromEntries(spec(name).args.flatMap((a) => (a.default === undefined ? [] : [[a.name, a.default]])));
  return { ...defaults, ...given };
}

function shapeOf(name: string, input: Shape, given: ResolvedArgs): Shape | ShapeError {
  return spec(name).outputShape(input, withDefaults(name, given));
}

function paramsOf(name: string, input: Shape, given: ResolvedArgs): Record<string, Shape> {
  return spec(name).params(input, withDefaults(name, given));
}

describe("the catalog covers the language's technique table", () => {
  for (const [section, entries] of Object.entries(TABLE)) {
    for (const [name, args] of Object.entries(entries)) {
      it(`§${section} ${name}${args.length ? `(${args.join(", ")})` : ""}`, () => {
        const found = technique(name);
        expect(found?.section).toBe(section);
        expect(argNames(found!.args)).toEqual(expect.arrayContaining(args));
      });
    }
  }

  it("has a technique in every section but §7.3, which is the closed-form solver with a ridge term", () => {
    const sections = new Set(TECHNIQUES.map((t) => t.section));
    for (const section of Object.keys(TABLE)) if (section !== "7.3") expect(sections).toContain(section);
    const solver = setting("train", "solver");
    expect(solver?.value).toEqual({ kind: "word", values: ["gradient", "closed_form"] });
    expect(TECHNIQUES.filter((t) => t.hooks.includes("solver")).map((t) => t.name)).toEqual(["l2"]);
  });

  it("accepts the clauses the table writes", () => {
    for (const name of ["l2", "l1", "weight_decay", "maxnorm", "unitnorm", "nonneg", "norm_ball", "weight_noise"]) {
      expect(technique(name)!.clauses.on).toBe("params");
    }
    for (const name of ["pseudo_label", "consistency", "vat", "entropy_min"]) {
      const t = technique(name)!;
      expect(t.clauses.using).toBe("split");
      expect(t.requiredClauses).toEqual(["using"]);
      expect(t.requires?.unlabeledSplit).toBe(true);
    }
    expect(technique("gaussian_noise")!.clauses.on).toBe("input_or_layers");
    expect(technique("gaussian_noise")!.defaultOn).toBe("input");
    expect(technique("activity_l1")!.clauses.on).toBe("layers");
    expect(technique("kl_sparsity")!.clauses.on).toBe("layers");
    expect(technique("dropout")!.clauses.after).toBe("layer");
    expect(technique("tangent_prop")!.clauses.along).toBe("transforms");
    expect(technique("tangent_prop")!.requiredClauses).toEqual(["along"]);
    expect(technique("tangent_distance")!.clauses.along).toBe("transforms");
    expect(fn("transform", "manifold")).toBeDefined();
    const thenValues = technique("early_stop")!.args.find((a) => a.name === "then")!.type;
    expect(thenValues).toEqual({ kind: "enum", values: ["none", "retrain_all", "continue_all"] });
  });

  it("encodes the applicability rules the checker enforces", () => {
    expect(technique("augment")!.requires?.imageInput).toBe(true);
    // tangent_prop is image-only through its geometric transforms; learned (manifold) tangents are not.
    expect(functionsOf("transform").filter((f) => f.imageOnly).map((f) => f.name).sort()).toEqual(["rotate", "scale", "shear", "thickness", "translate"]);
    expect(fn("transform", "manifold")!.imageOnly).toBeUndefined();
    expect(technique("label_smoothing")!.requires?.classifyTask).toBe(true);
    expect(TECHNIQUES.filter((t) => t.conflictGroup === "constraint").map((t) => t.name).sort()).toEqual(["maxnorm", "nonneg", "norm_ball", "unitnorm"]);
    expect(TECHNIQUES.filter((t) => t.conflictGroup === "l2_shrinkage").map((t) => t.name).sort()).toEqual(["l2", "weight_decay"]);
    expect(technique("early_stop")!.unique).toBe(true);
    expect(TECHNIQUES.filter((t) => t.defaultOn === "kernels").map((t) => t.name)).toEqual(expect.arrayContaining(["l2", "l1", "weight_decay"]));
  });

  it("lets `tie` take a parameter or its transpose on either side", () => {
    const [a, b] = technique("tie")!.args;
    for (const operand of [a!, b!]) {
      expect(operand.positional).toBe(true);
      expect(operand.type).toEqual({ kind: "ref", to: "param", wrappedBy: "tie_operand" });
    }
    expect(fn("tie_operand", "transpose")!.args[0]!.type).toEqual({ kind: "ref", to: "param" });
  });

  it("knows every name the contract examples use", () => {
    for (const name of ["flatten", "dense", "dropout", "conv2d", "maxpool", "reshape"]) expect(layer(name)).toBeDefined();
    for (const name of ["source", "input", "target", "features", "normalize", "missing", "split", "seed"]) expect(setting("data", name)).toBeDefined();
    for (const name of ["optimizer", "epochs", "batch", "solver"]) expect(setting("train", name)).toBeDefined();
    for (const [family, name] of [["source", "mnist"], ["source", "csv"], ["source", "json"], ["input_type", "image"], ["target_type", "class"], ["target_type", "number"], ["task", "classify"], ["task", "regress"], ["task", "reconstruct"], ["optimizer", "sgd"], ["optimizer", "adam"], ["transform", "rotate"], ["transform", "translate"]] as const) {
      expect(fn(family, name), `${family} ${name}`).toBeDefined();
    }
    expect(argNames(layer("dense")!.args)).toEqual(["units", "activation", "use_bias"]);
    expect(argNames(fn("task", "regress")!.args)).toEqual(expect.arrayContaining(["loss", "weight"]));
  });
});

describe("catalog entries are well formed", () => {
  it("names are unique per kind", () => {
    const unique = (names: string[]) => expect(new Set(names).size).toBe(names.length);
    unique(LAYERS.map((l) => l.name));
    unique(TECHNIQUES.map((t) => t.name));
    unique(SETTINGS.map((s) => `${s.block}.${s.name}`));
    unique(FUNCTIONS.map((f) => `${f.family}.${f.name}`));
    for (const { args } of allArgLists()) unique(argNames(args));
  });

  it("every entry and every argument has a doc", () => {
    for (const entry of [...LAYERS, ...TECHNIQUES, ...FUNCTIONS, ...SETTINGS]) expect(entry.doc.length, entry.name).toBeGreaterThan(20);
    for (const { owner, args } of allArgLists()) {
      for (const arg of args) expect(arg.doc.trim(), `${owner} ${arg.name}`).not.toBe("");
    }
    for (const t of TECHNIQUES) {
      expect(t.formula.trim(), t.name).not.toBe("");
      expect(t.title.trim(), t.name).not.toBe("");
      expect(t.hooks.length, t.name).toBeGreaterThan(0);
    }
  });

  it("defaults lie within their ranges and are never given for required arguments", () => {
    for (const { owner, args } of allArgLists()) {
      for (const arg of args) {
        if (arg.default === undefined) continue;
        expect(arg.required, `${owner} ${arg.name}`).not.toBe(true);
        expect(defaultFits(arg, arg.default), `${owner} ${arg.name} = ${String(arg.default)}`).toBe(true);
      }
    }
  });

  it("positional arguments come first, and a variadic one last", () => {
    for (const { owner, args } of allArgLists()) {
      const firstNamed = args.findIndex((a) => !a.positional);
      const lastPositional = args.map((a) => Boolean(a.positional)).lastIndexOf(true);
      expect(firstNamed === -1 || lastPositional < firstNamed, owner).toBe(true);
      const variadic = args.findIndex((a) => a.variadic);
      expect(variadic === -1 || variadic === lastPositional, owner).toBe(true);
    }
  });

  it("ranges match the language: no dropout rate of 1, no negative α, no eps of 0", () => {
    const arg = (owner: { args: readonly ArgSpec[] } | undefined, name: string) => owner!.args.find((a) => a.name === name)!;
    for (const rate of [arg(layer("dropout"), "rate"), arg(technique("dropout"), "rate")]) {
      expect(inRange(rate, 1)).toBe(false);
      expect(inRange(rate, 0.99)).toBe(true);
      expect(inRange(rate, 0)).toBe(true);
    }
    for (const name of ["l2", "l1", "weight_decay", "activity_l1"]) {
      const alpha = technique(name)!.args[0]!;
      expect(inRange(alpha, -1e-4), name).toBe(false);
      expect(inRange(alpha, 0), name).toBe(true);
    }
    for (const name of ["fgsm", "pgd", "vat"]) {
      expect(inRange(arg(technique(name), "eps"), 0), name).toBe(false);
      expect(inRange(arg(technique(name), "eps"), 0.1), name).toBe(true);
    }
    expect(inRange(arg(technique("pseudo_label"), "threshold"), 0)).toBe(false);
    expect(inRange(arg(technique("pseudo_label"), "threshold"), 1)).toBe(true);
    expect(inRange(arg(technique("kl_sparsity"), "target"), 1)).toBe(false);
    expect(inRange(arg(technique("bagging"), "members"), 1)).toBe(false);
  });

  it("marks training-only layers and what counts as regularizing", () => {
    for (const name of ["dropout", "gaussian_noise"]) {
      expect(spec(name).trainingOnly).toBe(true);
      expect(spec(name).regularizes).toBe(true);
    }
    expect(LAYERS.filter((l) => l.linear).map((l) => l.name).sort()).toEqual(["dropout", "flatten", "gaussian_noise", "reshape"]);
    expect(TECHNIQUES.filter((t) => !t.regularizes).map((t) => t.name).sort()).toEqual(["mc_dropout", "tangent_distance", "uncertainty_weighting"]);
    for (const l of LAYERS) expect(l.clauses.from, l.name).toBe("layer");
  });
});

describe("layer shapes follow Keras", () => {
  it("conv2d 3×3 valid on 28×28×1 with 16 filters", () => {
    expect(shapeOf("conv2d", [28, 28, 1], { filters: 16, kernel: [3] })).toEqual([26, 26, 16]);
    const params = paramsOf("conv2d", [28, 28, 1], { filters: 16, kernel: [3] });
    expect(params).toEqual({ kernel: [3, 3, 1, 16], bias: [16] });
    const count = Object.values(params).reduce((sum, s) => sum + s.reduce((a, b) => a * b, 1), 0);
    expect(count).toBe(160);
  });

  it("same padding gives ceil(n / stride); valid gives floor((n − k) / s) + 1", () => {
    expect(shapeOf("conv2d", [28, 28, 1], { filters: 8, kernel: [3], stride: [2], padding: "same" })).toEqual([14, 14, 8]);
    expect(shapeOf("conv2d", [28, 28, 1], { filters: 8, kernel: [3], stride: [2] })).toEqual([13, 13, 8]);
    expect(shapeOf("conv2d", [28, 20, 3], { filters: 4, kernel: [5, 3] })).toEqual([24, 18, 4]);
  });

  it("pools with stride equal to the window by default", () => {
    expect(shapeOf("maxpool", [26, 26, 16], { size: [2] })).toEqual([13, 13, 16]);
    expect(shapeOf("maxpool", [11, 11, 32], {})).toEqual([5, 5, 32]);
    expect(shapeOf("avgpool", [26, 26, 16], { size: [3], stride: [1] })).toEqual([24, 24, 16]);
    expect(shapeOf("global_avgpool", [5, 5, 32], {})).toEqual([32]);
  });

  it("dense maps [784] to its units", () => {
    expect(shapeOf("dense", [784], { units: 512 })).toEqual([512]);
    expect(paramsOf("dense", [784], { units: 512 })).toEqual({ kernel: [784, 512], bias: [512] });
    expect(paramsOf("dense", [784], { units: 512, use_bias: false })).toEqual({ kernel: [784, 512] });
  });

  it("flattens and reshapes when sizes agree", () => {
    expect(shapeOf("flatten", [5, 5, 32], {})).toEqual([800]);
    expect(shapeOf("reshape", [784], { shape: [28, 28, 1] })).toEqual([28, 28, 1]);
  });

  it("depthwise_conv2d keeps channels apart", () => {
    expect(shapeOf("depthwise_conv2d", [28, 28, 3], { kernel: [3], depth_multiplier: 2 })).toEqual([26, 26, 6]);
    expect(paramsOf("depthwise_conv2d", [28, 28, 3], { kernel: [3], depth_multiplier: 2 })).toEqual({ kernel: [3, 3, 3, 2], bias: [6] });
  });

  it("batch_norm learns a scale and shift per channel; embedding maps ids to vectors", () => {
    expect(paramsOf("batch_norm", [13, 13, 16], {})).toEqual({ gamma: [16], beta: [16] });
    expect(shapeOf("embedding", [20], { input_dim: 1000, output_dim: 8 })).toEqual([20, 8]);
    expect(paramsOf("embedding", [20], { input_dim: 1000, output_dim: 8 })).toEqual({ embeddings: [1000, 8] });
  });

  it("reports a reshape that changes the number of values", () => {
    expect(shapeOf("reshape", [100], { shape: [28, 28, 1] })).toEqual({
      error: "cannot reshape 100 (100 values) to 28×28×1 (784 values)",
      code: "REG3005",
      params: { from: "100", fromSize: 100, to: "28×28×1", toSize: 784 },
    });
  });

  it("reports a window larger than its input with valid padding", () => {
    expect(shapeOf("conv2d", [3, 3, 1], { filters: 4, kernel: [5] })).toMatchObject({ code: "REG3001", params: { kind: "conv2d", window: "5×5", input: "3×3×1" } });
    expect(shapeOf("maxpool", [2, 2, 16], { size: [3] })).toMatchObject({ code: "REG3001", params: { window: "3×3", input: "2×2×16" } });
    expect(shapeOf("conv2d", [3, 3, 1], { filters: 4, kernel: [5], padding: "same" })).toEqual([3, 3, 4]);
  });

  it("reports the wrong input rank", () => {
    expect(shapeOf("dense", [28, 28, 1], { units: 10 })).toMatchObject({ code: "REG3004", params: { kind: "dense", shape: "28×28×1" } });
    expect(shapeOf("conv2d", [784], { filters: 4, kernel: [3] })).toMatchObject({ code: "REG3004", params: { kind: "conv2d", shape: "784" } });
    expect(shapeOf("maxpool", [784], {})).toMatchObject({ code: "REG3004" });
  });

  it("leaves dimensions unknown, without a second error, when an argument is out of range", () => {
    expect(shapeOf("reshape", [784], { shape: [28, 28, 0] })).toEqual([28, 28, Number.NaN]);
    expect(shapeOf("conv2d", [28, 28, 1], { filters: 8, kernel: [3], stride: [0] })).toEqual([Number.NaN, Number.NaN, 8]);
    expect(shapeOf("dense", [784], { units: 0 })).toEqual([Number.NaN]);
  });

  it("never throws when an argument failed to bind", () => {
    for (const l of LAYERS) {
      for (const input of [[784], [28, 28, 1], []] as Shape[]) {
        expect(() => l.outputShape(input, {})).not.toThrow();
        expect(() => l.params(input, {})).not.toThrow();
      }
    }
    expect(shapeOf("reshape", [Number.NaN], { shape: [28, 28, 1] })).toEqual([28, 28, 1]);
  });
});
