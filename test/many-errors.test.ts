import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check, type Diagnostic } from "../src/compiler/index.js";
import { EXAMPLES_DIR } from "./support/examples.js";
import { seededRandom } from "./support/random.js";

/**
 * One check reports every independent error. Each case takes a valid spec
 * and breaks it in several independent places, one line each (names, shapes,
 * ranges, data columns, across data, model, task, train, regularize and
 * tune). Breaking them all at once must report exactly what breaking each
 * alone reports, each finding once; so fixing the errors one at a time, in
 * any order, never reveals an error that was there all along.
 */

interface Break {
  /** Text on one line of the valid spec, and what replaces it. */
  from: string;
  to: string;
  /** What breaking it alone reports: `CODE line`. */
  reports: string[];
}

interface Case {
  spec: string;
  breaks: Break[];
}

const CASES: Case[] = [
  {
    spec: "d-multitask-cars.reg",
    breaks: [
      { from: "Weight_in_lbs, Displacement", to: "Weight_in_lb, Displacement", reports: ["REG1009 4"] },
      { from: "  missing  drop", to: "  // no missing policy", reports: ["REG6004 2"] },
      { from: "val: 0.2, test: 0.2", to: "val: 0.3, test: 0.3", reports: ["REG2007 9"] },
      { from: "t1     = dense(64", to: "t1     = dens(64", reports: ["REG1002 14"] },
      { from: "t2     = dense(32, activation: relu)", to: "t2     = dense(32, activation: relo)", reports: ["REG1010 15"] },
      { from: "origin = dense(3) from t2", to: "origin = dense(4) from t2", reports: ["REG3002 21"] },
      { from: "regress(shared.mpg, cars.mpg,", to: "regress(shared.mpg, cars.mpgg,", reports: ["REG1005 20"] },
      { from: "adam(lr: 3e-3)", to: "adam(lr: -3e-3)", reports: ["REG2001 24"] },
      { from: "epochs    200", to: "epochs    0", reports: ["REG2001 25"] },
      // `t1` is the unknown layer above: its parameters are unknown, but this range error is not.
      { from: "l1(1e-4) on t1.kernel", to: "l1(-1e-4) on t1.kernel", reports: ["REG2001 30"] },
      { from: "activity_l1(1e-4) on t2", to: "activity_l1(1e-4) on t3", reports: ["REG1005 31"] },
      { from: "combine: average", to: "combine: avg", reports: ["REG1010 33"] },
      { from: "monitor: val_loss", to: "monitor: val_los", reports: ["REG1010 34"] },
    ],
  },
  {
    spec: "b-convnet-adversarial-tangent.reg",
    breaks: [
      // The target's type is unknown, but the task that names it does not fail to find it.
      { from: "label = class(10)", to: "label = clas(10)", reports: ["REG1013 4"] },
      { from: "test: 2000\n", to: "test: 2000, extra: 5\n", reports: ["REG1004 5"] },
      { from: "c1  = conv2d(16, kernel: 3,", to: "c1  = conv2d(16, kernel: 30,", reports: ["REG3001 9"] },
      { from: "h   = dense(128, activation: relu)", to: "h   = dense(128, activation: relu, bias: true)", reports: ["REG1004 14"] },
      { from: "classify(cnn.out, digits.label)", to: "clasify(cnn.out, digits.label)", reports: ["REG1012 18"] },
      { from: "batch     64", to: "batch     64.5", reports: ["REG2002 23"] },
      { from: "translate: 2px", to: "translate: 40px", reports: ["REG2001 27"] },
      { from: "gaussian_noise(0.1) on input", to: "gaussian_noise(0.1) on inptu", reports: ["REG1005 28"] },
      { from: "label_smoothing(0.1)", to: "label_smoothing(1.1)", reports: ["REG2001 29"] },
      { from: "along rotate, translate", to: "along rotate, translat", reports: ["REG1013 31"] },
      { from: "patience: 4", to: "patience: -4", reports: ["REG2001 32"] },
    ],
  },
  {
    spec: "tuning/a-dropout-maxnorm.reg",
    breaks: [
      { from: "image(28, 28, 1)", to: "image(28, 28, 3)", reports: ["REG3007 5"] },
      { from: "  dropout(uniform(0.2, 0.7))\n  h2", to: "  dropout(uniform(0.7, 0.2))\n  h2", reports: ["REG2021 14"] },
      { from: "out = dense(10)", to: "out = dense(10, activation: soft)", reports: ["REG1010 17"] },
      { from: "momentum: 0.9", to: "momentum: 1.9", reports: ["REG2001 23"] },
      { from: "maxnorm(choice(1, 2, 3, 4))", to: "maxnorm(choice())", reports: ["REG2021 29"] },
      { from: "l2(1e-5) on *.kernel", to: "l2(1e-5) on *.kernels", reports: ["REG1007 30"] },
      { from: "trials    12", to: "trials    0", reports: ["REG2001 35"] },
      // A wrong word before the objective does not keep its metric from being judged.
      { from: "objective maximize val_accuracy", to: "objective maximise val_acuracy", reports: ["REG1010 36", "REG1010 36"] },
      { from: "method    halving", to: "method    halfing", reports: ["REG1010 37"] },
    ],
  },
  {
    // A syntax error in a block's header is reported once; the block's body is still read, so nothing it declares goes missing.
    spec: "a-mlp-dropout-maxnorm.reg",
    breaks: [
      { from: "data digits {", to: "data digits mnist {", reports: ["REG0001 2"] },
      { from: "seed   7", to: "seed   -7", reports: ["REG2001 7"] },
      { from: "model mlp(digits.input) {", to: "model mlp(digits-input) {", reports: ["REG0001 10"] },
      { from: "h2  = dense(512, activation: relu)", to: "h2  = dense(512, activation: rel)", reports: ["REG1010 14"] },
      { from: "task digit = classify", to: "task digit - classify", reports: ["REG0001 19"] },
      { from: "train {", to: "train fast slow {", reports: ["REG0001 21"] },
      { from: "epochs    60", to: "epochs    0", reports: ["REG2001 23"] },
      { from: "regularize mlp {", to: "regularize mlp extra {", reports: ["REG0001 27"] },
      { from: "maxnorm(3) on h1.kernel", to: "maxnorm(-3) on h1.kernel", reports: ["REG2001 28"] },
      { from: "patience: 20", to: "patience: -20", reports: ["REG2001 30"] },
    ],
  },
  {
    // A block whose name is lost to a syntax error: its body is checked, and a use of a name of its kind may be its own.
    spec: "d-multitask-cars.reg",
    breaks: [
      { from: "data cars {", to: "data {", reports: ["REG0001 2"] },
      { from: "  seed     1", to: "  seed     -1", reports: ["REG2001 10"] },
      { from: "model shared(cars.input) {", to: "model (cars.input) {", reports: ["REG0001 13"] },
      { from: "t1     = dense(64", to: "t1     = dens(64", reports: ["REG1002 14"] },
      { from: "adam(lr: 3e-3)", to: "adam(lr: -3e-3)", reports: ["REG2001 24"] },
      { from: "combine: average", to: "combine: avg", reports: ["REG1010 33"] },
    ],
  },
  {
    spec: "more/penguins-constrained-vote.reg",
    breaks: [
      // Two rows lack all four measurements: one report for the block, not one per column.
      { from: "  missing  drop", to: "  // no missing policy", reports: ["REG6004 2"] },
      { from: "class(Species)", to: "class(Specimen)", reports: ["REG1009 7"] },
      { from: "seed     3", to: "seed     -3", reports: ["REG2001 9"] },
      { from: "h1  = dense(32, activation: relu)", to: "h1  = dense(32, activation: relu) from h0", reports: ["REG1005 13"] },
      { from: "h2  = dense(16, activation: relu)", to: "h2  = dense(0, activation: relu)", reports: ["REG2001 14"] },
      { from: "classify(net.out, penguins.species)", to: "classify(net.out, penguin.species)", reports: ["REG1005 18"] },
      { from: "optimizer adam(lr: 1e-2)", to: "optimizer adamm(lr: 1e-2)", reports: ["REG1013 21"] },
      { from: "weight_decay(1e-2) on *.kernel", to: "weight_decay(1e-2) on *.kernal", reports: ["REG1007 27"] },
      { from: "norm_ball(4) on h2.kernel", to: "norm_bal(4) on h2.kernel", reports: ["REG1001 29"] },
      { from: "combine: vote", to: "combine: vote, members: 3", reports: ["REG2005 31"] },
    ],
  },
];

function specText(name: string): { path: string; text: string } {
  const path = join(EXAMPLES_DIR, name);
  return { path, text: readFileSync(path, "utf8") };
}

function breakAll(text: string, breaks: readonly Break[]): string {
  return breaks.reduce((broken, b) => {
    if (broken.split(b.from).length !== 2) throw new Error(`the spec must hold \`${b.from}\` exactly once`);
    return broken.replace(b.from, b.to);
  }, text);
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

/** What a spec reports: `CODE line`, in order. Every break keeps the lines where they were. */
function reported(text: string, path: string): string[] {
  return check(text, { path }).diagnostics.map((d) => `${d.code} ${lineOf(text, d.span.start)}`);
}

/** Each finding in full, to compare across variants: code, line, column and message. */
function findings(text: string, diagnostics: readonly Diagnostic[]): Set<string> {
  return new Set(diagnostics.map((d) => `${d.code} ${lineOf(text, d.span.start)}:${d.span.start - text.lastIndexOf("\n", d.span.start - 1)} ${d.message}`));
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function sorted(items: Iterable<string>): string[] {
  return [...items].sort();
}

describe("one check reports every independent error", () => {
  for (const { spec, breaks } of CASES) {
    const { path, text } = specText(spec);
    const findingsOf = (subset: readonly Break[]) => {
      const broken = breakAll(text, subset);
      return findings(broken, check(broken, { path }).diagnostics);
    };

    it(`${spec}: valid as written, and each break alone reports what it says`, () => {
      expect(reported(text, path)).toEqual([]);
      for (const b of breaks) expect(reported(breakAll(text, [b]), path), `${b.from} → ${b.to}`).toEqual(b.reports);
    });

    it(`${spec}: ${breaks.length} errors in one run, each once`, () => {
      const broken = breakAll(text, breaks);
      const { diagnostics } = check(broken, { path });
      expect(sorted(reported(broken, path))).toEqual(sorted(breaks.flatMap((b) => b.reports)));
      expect(findings(broken, diagnostics).size).toBe(diagnostics.length);
    });

    it(`${spec}: fixing errors one at a time, in any order, reveals nothing new`, () => {
      const alone = new Map(breaks.map((b) => [b, findingsOf([b])]));
      const union = (subset: readonly Break[]) => new Set(subset.flatMap((b) => [...alone.get(b)!]));
      // Fix each one last, first, and in seeded random orders: after every fix the findings are the union of what remains.
      const random = seededRandom(breaks.length);
      const orders = [breaks, [...breaks].reverse(), ...[1, 2, 3].map(() => shuffled(breaks, random))];
      for (const order of orders) {
        for (let fixed = 0; fixed < order.length; fixed++) {
          const remaining = order.slice(fixed);
          expect(sorted(findingsOf(remaining)), `with ${remaining.length} breaks left`).toEqual(sorted(union(remaining)));
        }
      }
      for (const b of breaks) {
        const others = breaks.filter((other) => other !== b);
        expect(sorted(findingsOf(others)), `fixing ${b.from} → ${b.to} alone`).toEqual(sorted(union(others)));
      }
    });
  }
});

describe("what an error hides, and what it does not", () => {
  const cars = specText("d-multitask-cars.reg");
  const inCars = (from: string, to: string) => breakAll(cars.text, [{ from, to, reports: [] }]);
  const codesOf = (text: string, path = cars.path) => reported(text, path);

  it("counts the rows missing values once per data block, as the data file has them", () => {
    const rows = JSON.parse(readFileSync(join(EXAMPLES_DIR, "..", "node_modules", "vega-datasets", "data", "cars.json"), "utf8")) as Array<Record<string, unknown>>;
    const lacking = (column: string) => rows.filter((row) => row[column] === null || row[column] === undefined);
    const either = rows.filter((row) => lacking("Horsepower").includes(row) || lacking("Miles_per_Gallon").includes(row));
    const { diagnostics } = check(inCars("  missing  drop", "  // no missing policy"), { path: cars.path });
    // JSON items count from 1, as a spreadsheet numbers rows.
    const first = rows.indexOf(either[0]!) + 1;
    expect(diagnostics.map((d) => d.message)).toEqual([
      `cars.json has ${either.length} rows with no value in \`Horsepower\` (${lacking("Horsepower").length} rows) or \`Miles_per_Gallon\` (${lacking("Miles_per_Gallon").length} rows), the first at item ${first} of the array (counting from 1)`,
    ]);
  });

  it("reports no missing values under a `missing` policy it cannot read", () => {
    expect(codesOf(inCars("missing  drop", "missing  dorp"))).toEqual(["REG1010 6"]);
  });

  it("hides what truly depends on an error: a layer's shape error needs the shape of its input", () => {
    const convnet = specText("b-convnet-adversarial-tangent.reg");
    const tooLarge = breakAll(convnet.text, [{ from: "c2  = conv2d(32, kernel: 3,", to: "c2  = conv2d(32, kernel: 14,", reports: [] }]);
    expect(reported(tooLarge, convnet.path)).toEqual(["REG3001 11"]);
    // With the layer before it unknown, nobody can tell how large c2's input is.
    const unknownBefore = breakAll(tooLarge, [{ from: "c1  = conv2d(", to: "c1  = conv2dd(", reports: [] }]);
    expect(reported(unknownBefore, convnet.path)).toEqual(["REG1002 9"]);
  });

  it("keeps the shape of a layer whose output does not depend on its input", () => {
    // `t1` is unknown, but `t2 = dense(32)` gives 32 values from any vector, so the task on `origin` is still judged.
    const text = inCars("t1     = dense(64", "t1     = dens(64").replace("origin = dense(3) from t2", "origin = dense(4) from t2");
    expect(codesOf(text)).toEqual(["REG1002 14", "REG3002 21"]);
  });

  it("does not guess the input of a layer whose `from` names no layer", () => {
    const towers = specText("more/cars-soft-sharing.reg");
    const text = breakAll(towers.text, [{ from: "relu) from trunk", to: "relu) from trunc", reports: [] }]);
    // Guessing the previous layer (`mpg`, 1 value) would make `soft_tie` compare kernels of different shapes.
    expect(reported(text, towers.path)).toEqual(["REG1005 17"]);
  });

  it("still resolves the target a task names when that target's type is written wrong", () => {
    expect(codesOf(inCars("origin = class(Origin)", "origin = klass(Origin)"))).toEqual(["REG1013 8"]);
  });

  it("still resolves the output and target of a task of unknown kind, and judges nothing that needs its kind", () => {
    const semi = specText("c-semi-supervised.reg");
    const text = breakAll(semi.text, [{ from: "classify(mlp.out, digits.label)", to: "clasify(mlp.outt, digits.labl)", reports: [] }]);
    // `vat`, `pseudo_label` and `entropy_min` need a classify task: whether this is one is unknown.
    expect(reported(text, semi.path)).toEqual(["REG1012 15", "REG1005 15", "REG1005 15"]);
  });

  it("demands no optimizer, epochs or batch of a `train` block whose solver is written wrong", () => {
    const ridge = specText("f-underconstrained-ridge.reg");
    for (const [from, to, expected] of [["solver closed_form", "solvr closed_form", "REG1003 15"], ["solver closed_form", "solver closed_from", "REG1010 15"]] as const) {
      expect(reported(breakAll(ridge.text, [{ from, to, reports: [] }]), ridge.path)).toEqual([expected]);
    }
  });

  it("reports a line's first syntax error, and what precedes it on the line, but not what recovery guessed after it", () => {
    expect(codesOf(inCars("t1     = dense(64, activation: relu)", "t1     = dense(64 activation: relu)"))).toEqual(["REG0001 14"]);
    expect(codesOf(inCars("t1     = dense(64, activation: relu)", "t1     = dens(64 activation: relu)"))).toEqual(["REG1002 14", "REG0001 14"]);
  });

  it("does not report as missing an argument written after a line's syntax error", () => {
    expect(codesOf(inCars("regress(shared.mpg, cars.mpg,", "regress(shared.mpg cars.mpg,"))).toEqual(["REG0001 20"]);
  });

  it("names a model that lost its name by where the error is, not by an empty name", () => {
    const text = inCars("model shared(cars.input) {", "model (cars.input) {").replace("from t2\n}", "from t3\n}");
    const { diagnostics, program } = check(text, { path: cars.path });
    expect(diagnostics.map((d) => `${d.code} ${lineOf(text, d.span.start)} ${d.message}`)).toEqual([
      "REG0001 13 expected a name, found `(`",
      "REG1005 17 cannot find layer `t3` in this model",
    ]);
    // Nothing can name it: an editor must not offer to rename or find its `model` keyword, nor layers no one can reach.
    expect(program.symbols.declarations.filter((d) => d.kind === "model" || d.kind === "layer")).toEqual([]);
  });

  it("reports a header that lacks its `{` as well as a readable input once, and still reads the body", () => {
    const text = inCars("model shared(cars.input) {", "model shared(cars-input)").replace("t1     = dense(64", "t1     = dens(64");
    expect(codesOf(text)).toEqual(["REG0001 13", "REG1002 14"]);
  });

  it("keeps a model's input that ends where its `)` is missing, and drops one cut short", () => {
    const shapes = (text: string) => [...check(text, { path: cars.path }).program.models.values()].map((m) => m.inputShape?.join("×"));
    expect(shapes(inCars("model shared(cars.input) {", "model shared(cars.input {"))).toEqual(["5"]);
    expect(shapes(inCars("model shared(cars.input) {", "model shared(cars.input"))).toEqual(["5"]);
    expect(shapes(inCars("model shared(cars.input) {", "model shared(cars-input) {"))).toEqual([undefined]);
  });

  it("binds no argument where recovery left a hole", () => {
    const text = inCars("restore_best: true)", "restore_best: true,, )");
    const { diagnostics } = check(text, { path: cars.path });
    expect(diagnostics.map((d) => `${d.code} ${lineOf(text, d.span.start)}`)).toEqual(["REG0001 34"]);
    expect(findings(text, diagnostics).size).toBe(diagnostics.length);
  });
});
