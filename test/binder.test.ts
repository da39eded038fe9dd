import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/compiler/index.js";
import type { Declaration } from "../src/compiler/binder/symbols.js";
import { EXAMPLES_DIR } from "./support/examples.js";

/** The resolved model of a spec: each name bound to its declaration, each call's arguments bound once. */

const CARS = join(EXAMPLES_DIR, "d-multitask-cars.reg");

/** A spec beside the contract examples (so its data paths resolve), checked without errors. */
function checked(text: string, path = CARS) {
  const result = check(text, { path });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result;
}

/** The offset of the `nth` occurrence of `word` in `text`, plus `into` characters. */
function offsetOf(text: string, word: string, nth = 1, into = 0): number {
  let at = -1;
  for (let i = 0; i < nth; i++) at = text.indexOf(word, at + 1);
  expect(at, `\`${word}\` #${nth}`).toBeGreaterThanOrEqual(0);
  return at + into;
}

const describeDeclaration = (d: Declaration | undefined) => d && `${d.kind} ${d.owner ? `${d.owner.name}.` : ""}${d.name}`;

describe("symbols", () => {
  const text = readFileSync(CARS, "utf8");
  const { program } = checked(text);
  const { symbols } = program;
  const at = (word: string, nth = 1, into = 0) => symbols.at(offsetOf(text, word, nth, into));

  it("binds every kind of reference to its declaration, and the declaration to itself", () => {
    const declaration = at("t2 ");
    expect(declaration?.isDeclaration).toBe(true);
    expect(describeDeclaration(declaration?.declaration)).toBe("layer shared.t2");
    // `from t2`, then `on t2` in the regularize block: the same declaration object.
    expect(at("from t2", 1, 5)?.declaration).toBe(declaration?.declaration);
    expect(at("on t2", 1, 3)?.declaration).toBe(declaration?.declaration);
    expect(describeDeclaration(at("cars.input", 1, 1)?.declaration)).toBe("data cars");
    expect(describeDeclaration(at("shared.mpg", 1, 8)?.declaration)).toBe("layer shared.mpg");
    expect(describeDeclaration(at("cars.mpg", 1, 6)?.declaration)).toBe("target cars.mpg");
    expect(describeDeclaration(at("regularize shared", 1, 12)?.declaration)).toBe("model shared");
    expect(describeDeclaration(at("Weight_in_lbs")?.declaration)).toBe("column cars.Weight_in_lbs");
    expect(describeDeclaration(at("Miles_per_Gallon")?.declaration)).toBe("column cars.Miles_per_Gallon");
    expect(describeDeclaration(at("val: 0.2")?.declaration)).toBe("split cars.val");
    expect(describeDeclaration(at("val_loss")?.declaration)).toBe("metric shared.val_loss");
    expect(at("relu")).toBeUndefined();
  });

  it("gives a parameter the layer it belongs to, and no span of its own", () => {
    const hit = at("t1.kernel", 1, 4);
    expect(describeDeclaration(hit?.declaration)).toBe("param t1.kernel");
    expect(hit?.declaration.span).toBeUndefined();
    expect(hit?.declaration.owner).toBe(at("t1 ")?.declaration);
  });

  it("lists every reference to a declaration in source order", () => {
    const cars = at("data cars", 1, 5)!.declaration;
    const spans = symbols.occurrencesOf(cars).map((hit) => text.slice(hit.span.start, hit.span.end));
    expect(spans).toEqual(["cars", "cars", "cars", "cars"]);
    expect(symbols.occurrencesOf(cars)[0]!.isDeclaration).toBe(true);
    expect(symbols.referencesTo(cars).map((r) => r.span.start)).toEqual([offsetOf(text, "cars.input"), offsetOf(text, "cars.mpg"), offsetOf(text, "cars.origin")]);
  });

  it("binds a task named inside a metric to the task, and the rest of the word to the metric", () => {
    const spec = text.replace("monitor: val_loss", "monitor: val_economy_loss");
    const { program: edited } = checked(spec);
    const task = edited.symbols.at(offsetOf(spec, "val_economy_loss", 1, 6));
    expect(describeDeclaration(task?.declaration)).toBe("task economy");
    expect(task?.span).toEqual({ start: offsetOf(spec, "val_economy_loss", 1, 4), end: offsetOf(spec, "val_economy_loss", 1, 11) });
    expect(describeDeclaration(edited.symbols.at(offsetOf(spec, "val_economy_loss", 1, 13))?.declaration)).toBe("metric shared.val_economy_loss");
  });

  it("finds every declaration and reference of the spec, in source order", () => {
    const hits = [...text].flatMap((_, offset) => {
      const hit = symbols.at(offset);
      return hit && hit.span.start === offset ? [`${text.slice(hit.span.start, hit.span.end)} ${hit.isDeclaration ? "declares" : "→"} ${describeDeclaration(hit.declaration)}`] : [];
    });
    expect(hits).toEqual([
      "cars declares data cars",
      ...["Horsepower", "Weight_in_lbs", "Displacement", "Acceleration", "Cylinders"].map((column) => `${column} → column cars.${column}`),
      "mpg declares target cars.mpg",
      "Miles_per_Gallon → column cars.Miles_per_Gallon",
      "origin declares target cars.origin",
      "Origin → column cars.Origin",
      "train declares split cars.train",
      "val declares split cars.val",
      "test declares split cars.test",
      "shared declares model shared",
      "cars → data cars",
      "t1 declares layer shared.t1",
      "t2 declares layer shared.t2",
      "mpg declares layer shared.mpg",
      "t2 → layer shared.t2",
      "origin declares layer shared.origin",
      "t2 → layer shared.t2",
      "economy declares task economy",
      "shared → model shared",
      "mpg → layer shared.mpg",
      "cars → data cars",
      "mpg → target cars.mpg",
      "region declares task region",
      "shared → model shared",
      "origin → layer shared.origin",
      "cars → data cars",
      "origin → target cars.origin",
      "shared → model shared",
      "t1 → layer shared.t1",
      "kernel → param t1.kernel",
      "t2 → layer shared.t2",
      "val_loss → metric shared.val_loss",
    ]);
  });
});

describe("bound calls", () => {
  it("binds a setting's call with the catalog's defaults", () => {
    const { program } = checked(readFileSync(CARS, "utf8"));
    const optimizer = program.train?.settings.get("optimizer")?.calls["value"];
    expect(optimizer?.name).toBe("adam");
    expect(optimizer?.values["lr"]).toBe(3e-3);
    // Not written: the catalog's default.
    expect(optimizer?.values["beta1"]).toBe(0.9);
    expect(program.data.get("cars")?.source?.values["path"]).toBe("vega-datasets/data/cars.json");
    expect(program.data.get("cars")?.settings.get("normalize")?.values["value"]).toBe("standard");
    expect(program.data.get("cars")?.settings.get("seed")?.values["value"]).toBe(1);
  });

  it("keeps a length's unit beside its value, a percentage read as a fraction once", () => {
    const path = join(EXAMPLES_DIR, "b-convnet-adversarial-tangent.reg");
    const original = readFileSync(path, "utf8");
    const text = original.replace("translate: 2px", "translate: 10%, crop: 2px");
    const { program } = checked(text, path);
    const augment = program.regularize.flatMap((block) => block.uses).find((use) => use.technique.name === "augment");
    expect(augment?.call.values["translate"]).toBeCloseTo(0.1, 12);
    expect(augment?.call.values["rotate"]).toBe(10);
    expect(augment?.call.units).toEqual({ translate: "fraction", crop: "px" });
  });

  it("binds a transform that reads a model to that model", () => {
    const path = join(EXAMPLES_DIR, "more", "digits-manifold-tangent.reg");
    const { program } = checked(readFileSync(path, "utf8"), path);
    const along = program.regularize.flatMap((block) => block.uses).flatMap((use) => use.along);
    expect(along.map((transform) => [transform.call.name, transform.written, transform.model?.name])).toEqual([
      ["manifold", "call", "cae"],
      ...["rotate", "translate", "scale", "thickness"].map((name) => [name, "word", undefined]),
    ]);
    expect(program.symbols.referencesTo(program.models.get("cae")!.symbol)).toHaveLength(3);
  });

  it("binds the operands of a tie through transpose", () => {
    const path = join(EXAMPLES_DIR, "e-tied-autoencoder.reg");
    const { program } = checked(readFileSync(path, "utf8"), path);
    const tie = program.regularize.flatMap((block) => block.uses).find((use) => use.technique.name === "tie");
    expect(tie?.call.calls["b"]?.name).toBe("transpose");
    expect(Object.values(tie?.call.calls["b"]?.values ?? {})).toEqual(["enc.kernel"]);
  });

  it("keeps each split's size as written and resolves `using` to the split", () => {
    const path = join(EXAMPLES_DIR, "c-semi-supervised.reg");
    const { program } = checked(readFileSync(path, "utf8"), path);
    const digits = program.data.get("digits")!;
    expect([...digits.splits.values()].map((s) => [s.name, s.size, s.fraction])).toEqual([
      ["train", 100, false],
      ["val", 500, false],
      ["test", 2000, false],
      ["unlabeled", 5000, false],
    ]);
    const uses = program.regularize.flatMap((block) => block.uses);
    expect(uses.every((use) => use.using === digits.splits.get("unlabeled"))).toBe(true);
    expect(program.symbols.referencesTo(digits.splits.get("unlabeled")!.symbol)).toHaveLength(4);
  });
});

describe("a name two blocks declare", () => {
  it("is reported once, as declared twice, and its uses are not also unknown", () => {
    // The model takes its data's name: every `cars.…` may mean either block.
    const text = readFileSync(CARS, "utf8").replace("model shared(cars.input)", "model cars(cars.input)").replaceAll("shared.", "cars.").replace("regularize shared", "regularize cars");
    const errors = check(text, { path: CARS }).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => [d.code, d.message])).toEqual([["REG5001", "`cars` is already declared"]]);
  });
});
