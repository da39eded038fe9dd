import { describe, expect, it } from "vitest";
import { check } from "../src/compiler/index.js";
import { contractExamples } from "./support/examples.js";
import { applyFix, diagnose, INLINE_SPEC_PATH, summarize } from "./support/diagnose.js";

const DIGITS = `data digits {
  source mnist
  input  image(28, 28, 1)
  target label = class(10)
  split  train: 1000, val: 500, test: 2000
}

model mlp(digits.input) {
  flatten()
  h1  = dense(128, activation: relu)
  out = dense(10)
}

task digit = classify(mlp.out, digits.label)

train {
  optimizer adam(lr: 1e-3)
  epochs    10
  batch     32
}

regularize mlp {
  l2(1e-4) on *.kernel
}
`;

function edit(base: string, from: string, to: string): string {
  if (!base.includes(from)) throw new Error(`test spec lacks ${from}`);
  return base.replace(from, to);
}

describe("contract examples", () => {
  for (const example of contractExamples()) {
    it(`${example.name} checks clean`, () => {
      const { diagnostics } = check(example.text, { path: example.path });
      expect(summarize(example.text, diagnostics)).toEqual([]);
    });
  }

  it("infers example A's shapes and parameter counts", () => {
    const a = contractExamples().find((e) => e.name.startsWith("a-"))!;
    const model = check(a.text, { path: a.path }).program.models.get("mlp")!;
    expect(model.layers.map((l) => l.outputShape)).toEqual([[784], [512], [512], [512], [512], [10]]);
    expect(model.byName.get("h1")!.paramCount).toBe(784 * 512 + 512);
    expect(model.paramCount).toBe(784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10);
  });

  it("infers example B's convolution and pooling shapes", () => {
    const b = contractExamples().find((e) => e.name.startsWith("b-"))!;
    const model = check(b.text, { path: b.path }).program.models.get("cnn")!;
    expect(model.layers.map((l) => l.outputShape)).toEqual([[26, 26, 16], [13, 13, 16], [11, 11, 32], [5, 5, 32], [800], [128], [10]]);
    expect(model.byName.get("c2")!.params).toEqual({ kernel: [3, 3, 16, 32], bias: [32] });
  });

  it("follows `from` in example D: both heads read t2", () => {
    const d = contractExamples().find((e) => e.name.startsWith("d-"))!;
    const { program } = check(d.text, { path: d.path });
    const model = program.models.get("shared")!;
    expect(model.inputShape).toEqual([5]);
    for (const head of ["mpg", "origin"]) {
      const layer = model.byName.get(head)!;
      expect(layer.source !== "input" && layer.source.name).toBe("t2");
    }
    expect(program.data.get("cars")!.targets.get("origin")!.classes).toBe(3);
  });

  it("counts example F's training rows from fractions of the csv", () => {
    const f = contractExamples().find((e) => e.name.startsWith("f-"))!;
    const { program } = check(f.text, { path: f.path });
    expect(program.data.get("small")!.splits.get("train")!.rows).toBe(30);
    expect(program.models.get("linear")!.paramCount).toBe(101);
  });
});

/** A closed-form ridge of every column of wide.csv: more weights than training rows. */
const WIDE_CLOSED_FORM = `data small {
  source   csv("data/wide.csv")
  features all
  target   y = number(y)
  split    train: 0.75, test: 0.25
}

model linear(small.input) {
  out = dense(1)
}

task fit = regress(linear.out, small.y)

train {
  solver closed_form
}
`;

describe("diagnostics", () => {
  it("suggests the nearest layer kind and fixes it", () => {
    const text = edit(DIGITS, "h1  = dense(", "h1  = dnese(");
    const [d] = diagnose(text);
    expect(d!.code).toBe("REG1002");
    expect(text.slice(d!.span.start, d!.span.end)).toBe("dnese");
    expect(d!.hint).toContain("`dense`");
    expect(diagnose(applyFix(text, d!))).toEqual([]);
  });

  it("warns of a target that names only what the clause's earlier targets name, with the fix that removes it", () => {
    const text = edit(DIGITS, "  l2(1e-4) on *.kernel", "  maxnorm(3) on h1.kernel, h1.kernel\n  l2(1e-4) on *.kernel, out.kernel\n  gaussian_noise(0.1) on input, h1, input");
    const found = diagnose(text);
    expect(found.map((d) => [d.code, d.severity, d.message])).toEqual([
      ["REG1018", "warning", "`h1.kernel` adds nothing to the clause: it is already one of its targets"],
      ["REG1018", "warning", "`out.kernel` adds nothing to the clause: `*.kernel` before it already names it"],
      ["REG1018", "warning", "`input` adds nothing to the clause: it is already one of its targets"],
    ]);
    expect(found.reduceRight((fixed, d) => applyFix(fixed, d), text)).toBe(edit(DIGITS, "  l2(1e-4) on *.kernel", "  maxnorm(3) on h1.kernel\n  l2(1e-4) on *.kernel\n  gaussian_noise(0.1) on input, h1"));
    // A glob that adds a name adds something, though it names others again.
    expect(diagnose(edit(DIGITS, "on *.kernel", "on h1.kernel, *.kernel"))).toEqual([]);
  });

  it("names a block written without a name as `the train block` when it lacks a setting, and a named one by its name", () => {
    const unnamed = edit(DIGITS, "  batch     32\n", "");
    expect(diagnose(unnamed).map((d) => d.message)).toEqual(["the `train` block needs the `batch` setting"]);
    const named = edit(DIGITS, "  source mnist\n", "");
    expect(diagnose(named).map((d) => d.message)).toEqual(["data `digits` needs the `source` setting"]);
  });

  it("offers to unquote a word, number or boolean written as a string, as Keras writes `activation=\"relu\"`", () => {
    const quoted = edit(edit(edit(edit(DIGITS, "activation: relu", 'activation: "relu"'), "epochs    10", 'epochs    "10"'), "optimizer adam(lr: 1e-3)", 'optimizer "adam"'), "  l2(1e-4) on *.kernel", '  l2(1e-4) on *.kernel\n  early_stop(monitor: "val_loss", restore_best: "true")');
    const found = diagnose(quoted);
    expect(found.map((d) => [d.code, d.hint])).toEqual([
      ["REG2002", "write it without quotes: `relu`"],
      ["REG2002", "write it without quotes: `adam`"],
      ["REG2002", "write it without quotes: `10`"],
      ["REG2002", "write it without quotes: `val_loss`"],
      ["REG2002", "write it without quotes: `true`"],
    ]);
    expect(found[1]!.message).toBe("`optimizer` expects an optimizer (e.g. `sgd`, `adam`, `adamw`, `rmsprop`), got a string");
    expect(diagnose(found.reduceRight((text, d) => applyFix(text, d), quoted))).toEqual([]);
    // A string that is not such a value bare gets no fix.
    expect(diagnose(edit(DIGITS, "activation: relu", 'activation: "ReLU"'))[0]!.fix).toBeUndefined();
  });

  it("answers an argument by the name Keras and PyTorch give it (`learning_rate`) with reglang's, and a fix", () => {
    const keras = edit(DIGITS, "optimizer adam(lr: 1e-3)", "optimizer adam(learning_rate: 1e-3)");
    const [d, ...rest] = diagnose(keras);
    expect(rest).toEqual([]);
    expect([d!.code, d!.message, d!.hint]).toEqual(["REG1004", "`adam` has no argument `learning_rate`", "`learning_rate` is written `lr` here"]);
    expect(diagnose(applyFix(keras, d!))).toEqual([]);
    // Every optimizer's rate, not adam's alone.
    for (const optimizer of ["sgd(learning_rate: 0.1, momentum: 0.9)", "rmsprop(learning_rate: 0.01)", "adamw(learning_rate: 1e-3)"]) {
      expect(diagnose(edit(DIGITS, "adam(lr: 1e-3)", optimizer)).map((found) => found.hint)).toEqual(["`learning_rate` is written `lr` here"]);
    }
  });

  it("says how .reg writes a comment for Python's `#`, with a fix, and that no `;` is needed", () => {
    const hashed = `# digits\n${edit(DIGITS, "  h1  = dense(128, activation: relu)", "  h1  = dense(128, activation: relu)  # hidden")}`;
    const found = diagnose(hashed);
    expect(summarize(hashed, found)).toEqual(["REG0002 #", "REG0002 #"]);
    expect(found.map((d) => d.hint)).toEqual(["a comment starts with `//` (or is written `/* … */`)", "a comment starts with `//` (or is written `/* … */`)"]);
    expect(diagnose(found.reduceRight((text, d) => applyFix(text, d), hashed))).toEqual([]);
    const semicolon = edit(DIGITS, "  flatten()", "  flatten();");
    expect(diagnose(semicolon).map((d) => [d.code, d.hint])).toEqual([["REG0002", "a statement ends with its line, and values are separated by `,`: no `;` is needed"]]);
  });

  it("says how a setting and a named layer are written to a YAML habit, `epochs: 10` or `h1: dense(…)`, with the fix", () => {
    const colons = edit(edit(DIGITS, "  epochs    10", "  epochs:   10"), "  h1  = dense(", "  h1: dense(");
    const found = diagnose(colons).filter((d) => d.code === "REG0001");
    expect(found.map((d) => d.hint)).toEqual(["a layer is named with `=`: `h1 = dense(…)`", "a setting takes its value after a space, with no `:`: `epochs …`"]);
    expect(diagnose(found.reduceRight((text, d) => applyFix(text, d), colons))).toEqual([]);
  });

  it("reports a block's `{` on the line below its header once, still reading the body, with the fix that moves it up", () => {
    const allman = edit(edit(DIGITS, "model mlp(digits.input) {", "model mlp(digits.input)\n{"), "  h1  = dense(", "  h1  = dnese(");
    const found = diagnose(allman);
    expect(summarize(allman, found)).toEqual(["REG0001 \n", "REG1002 dnese"]);
    expect(found[0]!.hint).toBe("a block's `{` ends the line of its header, as in `train {`");
    expect(diagnose(applyFix(allman, found[0]!)).map((d) => d.code)).toEqual(["REG1002"]);
  });

  it("refuses more snapshot cycles than epochs, written or by default: the run would average fewer snapshots than asked", () => {
    const snapshots = (clause: string, epochs = "10") => edit(edit(DIGITS, "  l2(1e-4) on *.kernel", `  l2(1e-4) on *.kernel\n  ${clause}`), "epochs    10", `epochs    ${epochs}`);
    const written = snapshots("snapshot_ensemble(cycles: 12)");
    expect(summarize(written, diagnose(written))).toEqual(["REG2001 12"]);
    expect(diagnose(written)[0]!.message).toBe("`snapshot_ensemble` argument `cycles` must be at most 10, the epochs of `train`, got 12");
    const byDefault = snapshots("snapshot_ensemble()", "3");
    expect(diagnose(byDefault).map((d) => d.message)).toEqual(["`snapshot_ensemble` argument `cycles` must be at most 3, the epochs of `train`, got 5 (its default)"]);
    expect(diagnose(snapshots("snapshot_ensemble(10)"))).toEqual([]);
  });

  it("reads a clause a technique does not take, where it lacks the one it needs, as that clause misnamed: one error, with the fix", () => {
    const misnamed = edit(DIGITS, "  l2(1e-4) on *.kernel", "  l2(1e-4) on *.kernel\n  dropout(0.5) on h1");
    const found = diagnose(misnamed);
    expect(summarize(misnamed, found)).toEqual(["REG4009 on"]);
    expect(found[0]!.hint).toBe("did you mean `after`?");
    expect(diagnose(applyFix(misnamed, found[0]!))).toEqual([]);
    const bare = edit(DIGITS, "  l2(1e-4) on *.kernel", "  l2(1e-4) on *.kernel\n  dropout(0.5)");
    expect(summarize(bare, diagnose(bare))).toEqual(["REG4008 dropout"]);
  });

  it("points at a missing parameter on a layer that has none", () => {
    const text = edit(edit(DIGITS, "  flatten()", "  flat = flatten()"), "on *.kernel", "on flat.kernel");
    expect(summarize(text, diagnose(text))).toEqual(["REG1006 kernel"]);
  });

  it("rejects a dropout rate of 1 and accepts 0.99", () => {
    const bad = edit(DIGITS, "  out = dense(10)", "  dropout(1)\n  out = dense(10)");
    expect(summarize(bad, diagnose(bad))).toEqual(["REG2001 1"]);
    expect(diagnose(edit(DIGITS, "  out = dense(10)", "  dropout(0.99)\n  out = dense(10)"))).toEqual([]);
  });

  it("warns that mc_dropout samples nothing on a model without dropout, as a layer or a clause", () => {
    const sampled = edit(DIGITS, "  l2(1e-4) on *.kernel", "  l2(1e-4) on *.kernel\n  mc_dropout(samples: 5)");
    expect(summarize(sampled, diagnose(sampled))).toEqual(["REG5007 mc_dropout"]);
    expect(diagnose(sampled)[0]!.message).toBe("`mc_dropout` averages passes that differ only in their dropout masks, and `mlp` has no dropout: every pass is the same");
    expect(diagnose(edit(sampled, "  out = dense(10)", "  dropout(0.3)\n  out = dense(10)"))).toEqual([]);
    expect(diagnose(edit(sampled, "  mc_dropout(samples: 5)", "  mc_dropout(samples: 5)\n  dropout(0.3) after h1"))).toEqual([]);
    expect(diagnose(sampled.replace("regularize mlp {\n  l2(1e-4) on *.kernel\n", "regularize mlp {\n  dropout(0.3) after h1\n}\n\nregularize mlp {\n  l2(1e-4) on *.kernel\n"))).toEqual([]);
  });

  it("checks early_stop's default monitor, val_loss, against the splits as a written one", () => {
    const noVal = edit(edit(DIGITS, "train: 1000, val: 500, test: 2000", "train: 1000, test: 2000"), "  l2(1e-4) on *.kernel", "  l2(1e-4) on *.kernel\n  early_stop()");
    expect(summarize(noVal, diagnose(noVal))).toEqual(["REG4004 early_stop"]);
    expect(diagnose(noVal)[0]!.hint).toContain("`early_stop` watches `val_loss` unless told otherwise");
    expect(diagnose(edit(noVal, "early_stop()", "early_stop(monitor: train_loss)")).map((d) => d.code)).not.toContain("REG4004");
  });

  it("refuses a norm's axis that a parameter it acts on does not have", () => {
    const beyond = edit(DIGITS, "  l2(1e-4) on *.kernel", "  maxnorm(3, axis: 2) on h1.kernel");
    expect(summarize(beyond, diagnose(beyond))).toEqual(["REG2001 2"]);
    expect(diagnose(beyond)[0]!.message).toBe("`axis` of `maxnorm` on `h1.kernel` must be an axis below its rank, 2 (shape 784×128), got 2");
    const listed = edit(DIGITS, "  l2(1e-4) on *.kernel", "  unitnorm(axis: [0, 5]) on h1.kernel");
    expect(summarize(listed, diagnose(listed))).toEqual(["REG2001 [0, 5]"]);
    expect(diagnose(edit(DIGITS, "  l2(1e-4) on *.kernel", "  maxnorm(3, axis: 1) on h1.kernel"))).toEqual([]);
  });

  it("refuses weight_decay beside adamw, whose decay is the same", () => {
    const both = edit(edit(DIGITS, "optimizer adam(lr: 1e-3)", "optimizer adamw(lr: 1e-3)"), "  l2(1e-4) on *.kernel", "  weight_decay(1e-2)");
    expect(summarize(both, diagnose(both))).toEqual(["REG5004 weight_decay"]);
    expect(diagnose(both)[0]!.message).toBe("`weight_decay` shrinks the weights that the `adamw` optimizer already decays");
    expect(diagnose(edit(both, "optimizer adamw(lr: 1e-3)", "optimizer adam(lr: 1e-3)"))).toEqual([]);
  });

  it("refuses a cosine schedule whose floor is not below the learning rate", () => {
    const upward = edit(DIGITS, "  batch     32", "  batch     32\n  schedule  cosine(min_lr: 0.1)");
    expect(summarize(upward, diagnose(upward))).toEqual(["REG2001 schedule  cosine(min_lr: 0.1)"]);
    expect(diagnose(upward)[0]!.message).toBe("`min_lr` of `cosine` must be below the optimizer's learning rate, 0.001, got 0.1");
    expect(diagnose(edit(upward, "min_lr: 0.1", "min_lr: 1e-5"))).toEqual([]);
  });

  it("takes a target's argument by its name too, and mnist's own class count when it is left out", () => {
    for (const target of ["class(count: 10)", "class()"]) {
      const text = edit(DIGITS, "class(10)", target);
      expect(diagnose(text)).toEqual([]);
      expect(check(text, { path: INLINE_SPEC_PATH }).program.data.get("digits")!.targets.get("label")!.classes).toBe(10);
    }
    expect(summarize(edit(DIGITS, "class(10)", "class(count: 9)"), diagnose(edit(DIGITS, "class(10)", "class(count: 9)")))).toEqual(["REG2001 9"]);
  });

  it("takes reshape's dimensions as one list too, and refuses a window of more than two sides", () => {
    const listed = edit(DIGITS, "  flatten()", "  flat = flatten()\n  reshape([28, 28])\n  flatten()");
    expect(diagnose(listed)).toEqual([]);
    const convolved = edit(DIGITS, "  flatten()", "  conv2d(4, kernel: 3, stride: [1, 2, 3])\n  flatten()");
    expect(summarize(convolved, diagnose(convolved))).toEqual(["REG2001 [1, 2, 3]"]);
    expect(diagnose(convolved)[0]!.message).toBe("`conv2d` argument `stride` must be one or two whole numbers, got 3 numbers");
  });

  it("refuses an empty list of sizes or axes, and still checks the shapes that do not hang on it", () => {
    for (const layer of ["conv2d(4, kernel: [])", "conv2d(4, kernel: 3, stride: [])", "maxpool([])", "avgpool(2, stride: [])"]) {
      const text = edit(DIGITS, "  flatten()", `  ${layer}\n  flatten()`);
      const found = diagnose(text);
      expect(summarize(text, found)).toEqual(["REG2001 []"]);
      expect(found[0]!.message).toMatch(/ must be one or two whole numbers, got an empty list$/);
    }
    const kernel = diagnose(edit(DIGITS, "  flatten()", "  conv2d(4, kernel: [])\n  flatten()"))[0]!;
    expect([kernel.message, kernel.hint]).toEqual(["`conv2d` argument `kernel` must be one or two whole numbers, got an empty list", "kernel: Kernel size: `3` for 3×3, or `[height, width]`."]);

    const reshaped = edit(DIGITS, "  flatten()", "  reshape([])\n  flatten()");
    expect(diagnose(reshaped).map((d) => d.message)).toEqual(["`reshape` argument `shape` must be one or more whole numbers, got an empty list"]);
    const noAxes = edit(DIGITS, "l2(1e-4) on *.kernel", "maxnorm(3, axis: []) on h1.kernel");
    expect(diagnose(noAxes).map((d) => d.message)).toEqual(["`maxnorm` argument `axis` must be one or more whole numbers, got an empty list"]);

    const laterMistakes = edit(edit(DIGITS, "  flatten()", "  conv2d(4, kernel: [])\n  reshape(5)"), "out = dense(10)", "out = dense(7)");
    expect(summarize(laterMistakes, diagnose(laterMistakes))).toEqual(["REG2001 []", "REG3002 mlp.out"]);
  });

  it("warns that a clause other than l2 does nothing under solver closed_form", () => {
    const f = contractExamples().find((e) => e.name.startsWith("f-"))!;
    const text = f.text.replace("  l2(0.1) on out.kernel", "  l2(0.1) on out.kernel\n  maxnorm(0.5) on out.kernel");
    const found = check(text, { path: f.path }).diagnostics;
    expect(summarize(text, found)).toEqual(["REG5007 maxnorm"]);
    expect(found[0]!.message).toBe("`maxnorm` has no effect under `solver closed_form`, which solves for the weights in one step with `l2` alone");
    expect(applyFix(text, found[0]!)).toBe(f.text);
  });

  it("names both shapes when tying mismatched parameters", () => {
    const text = edit(DIGITS, "  l2(1e-4) on *.kernel", "  l2(1e-4) on *.kernel\n  tie(h1.kernel, out.kernel)");
    const [d] = diagnose(text);
    expect(d!.code).toBe("REG3003");
    expect(d!.message).toContain("784×128");
    expect(d!.message).toContain("128×10");
  });

  it("accepts a tie through transpose when shapes agree", () => {
    const text = edit(edit(DIGITS, "  out = dense(10)", "  back = dense(784)\n  out = dense(10) from h1"), "  l2(1e-4) on *.kernel", "  l2(1e-4) on *.kernel\n  tie(back.kernel, transpose(h1.kernel))");
    expect(summarize(text, diagnose(text))).toEqual(["REG5003 back"]);
  });

  it("warns about an under-constrained model and stops once it is regularized", () => {
    const spec = WIDE_CLOSED_FORM;
    const diagnostics = diagnose(spec);
    expect(diagnostics.map((d) => d.code).sort()).toEqual(["REG4006", "REG4007"]);
    expect(diagnostics.find((d) => d.code === "REG4007")!.message).toContain("101 trainable parameters but only 30 training rows");
    const fixed = applyFix(spec, diagnostics.find((d) => d.code === "REG4006")!);
    expect(fixed).toContain("regularize linear {\n  l2(0.1) on out.kernel\n}");
    expect(diagnose(fixed)).toEqual([]);
  });

  it("counts a single training row in the singular", () => {
    const oneRow = edit(edit(DIGITS, "train: 1000, val: 500", "train: 1, val: 500"), "regularize mlp {\n  l2(1e-4) on *.kernel\n}\n", "");
    expect(diagnose(oneRow).map((d) => d.message)).toEqual(["101,770 trainable parameters but only 1 training row, and nothing regularizes `mlp`"]);
  });

  it("says closed_form needs l2 without calling XᵀX singular when rows outnumber the weights it solves for", () => {
    const spec = WIDE_CLOSED_FORM.replace("features all", "features x1, x2");
    const [diagnostic, ...others] = diagnose(spec);
    expect(others).toEqual([]);
    expect(diagnostic!.code).toBe("REG4006");
    expect(diagnostic!.message).toBe("`solver closed_form` without `l2`: the closed form it solves is ridge regression's, (XᵀX + αI)⁻¹Xᵀy, with α from `l2(α)`");
  });

  it("warns about features of very different scales unless they are normalized", () => {
    const spec = (features: string, normalize = "") => `data cars {
  source   json("vega-datasets/data/cars.json")
  features ${features}${normalize}
  target   mpg = number(Miles_per_Gallon)
  missing  drop
  split    train: 0.6, test: 0.4
}

model net(cars.input) {
  out = dense(1)
}

task economy = regress(net.out, cars.mpg)

train {
  optimizer adam
  epochs    1
  batch     8
}
`;
    // Weights of up to 5140 lbs beside at most 8 cylinders: 2 orders of magnitude.
    const [warning, ...rest] = diagnose(spec("Weight_in_lbs, Cylinders"));
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ code: "REG6005", severity: "warning" });
    expect(warning!.message).toBe("features differ in scale by 2 orders of magnitude (`Weight_in_lbs` reaches 5140, `Cylinders` only 8) and are not normalized");
    expect(diagnose(applyFix(spec("Weight_in_lbs, Cylinders"), warning!))).toEqual([]);
    expect(diagnose(spec("Weight_in_lbs, Cylinders", "\n  normalize minmax"))).toEqual([]);
    expect(diagnose(spec("Weight_in_lbs, Cylinders", "\n  normalize none")).map((d) => d.code)).toEqual(["REG6005"]);
    // Within a factor of 100 (horsepower up to 230, acceleration up to 24.8): no warning.
    expect(diagnose(spec("Horsepower, Acceleration"))).toEqual([]);
  });

  it("requires an unlabeled split for semi-supervised terms", () => {
    const text = edit(DIGITS, "  l2(1e-4) on *.kernel", "  l2(1e-4) on *.kernel\n  entropy_min(weight: 0.1) using digits.unlabeled");
    expect(summarize(text, diagnose(text))).toEqual(["REG4003 digits.unlabeled"]);
    const declared = edit(text, "test: 2000", "test: 2000, unlabeled: 5000");
    expect(diagnose(declared)).toEqual([]);
  });

  it("rejects splits that ask for more rows than mnist has", () => {
    const text = edit(DIGITS, "train: 1000", "train: 9000");
    const [d] = diagnose(text);
    expect(d!.code).toBe("REG2006");
    expect(d!.message).toContain("11500");
  });

  it("knows the metrics early stopping can watch", () => {
    const ok = edit(DIGITS, "  l2(1e-4) on *.kernel", "  l2(1e-4) on *.kernel\n  early_stop(monitor: val_accuracy, patience: 3)");
    expect(diagnose(ok)).toEqual([]);
    const typo = edit(ok, "val_accuracy", "val_acuracy");
    expect(diagnose(typo)[0]!.hint).toContain("`val_accuracy`");
    const noSplit = edit(edit(ok, "val: 500, ", ""), "val_accuracy", "val_loss");
    expect(summarize(noSplit, diagnose(noSplit))).toEqual(["REG4004 val_loss"]);
  });

  it("reports two constraints on one parameter, with the first as related", () => {
    const text = edit(DIGITS, "  l2(1e-4) on *.kernel", "  maxnorm(3) on h1.kernel\n  nonneg() on h*.kernel");
    const [d] = diagnose(text);
    expect(d!.code).toBe("REG5004");
    expect(d!.related![0]!.message).toContain("maxnorm");
  });

  it("reports a cycle through `from`", () => {
    const text = edit(DIGITS, "  out = dense(10)", "  a = dense(10) from b\n  b = dense(10) from a\n  out = dense(10) from h1");
    expect(diagnose(text).map((d) => d.code)).toContain("REG5002");
  });

  it("names each cycle once, in source order from where the walk entered it, a layer feeding itself included", () => {
    const text = edit(DIGITS, "  out = dense(10)", "  a = dense(10) from c\n  b = dense(10) from a\n  c = dense(10) from b\n  d = dense(10) from c\n  e = dense(10) from e\n  out = dense(10) from h1");
    const cycles = diagnose(text).filter((d) => d.code === "REG5002").map((d) => d.message);
    expect(cycles).toEqual(["`from` creates a cycle: a → c → b → a", "`from` creates a cycle: e → e"]);
  });

  it("checks inline specs relative to a path", () => {
    expect(check(DIGITS, { path: INLINE_SPEC_PATH }).diagnostics).toEqual([]);
  });
});

describe("tangent techniques on tabular data", () => {
  const CARS = `data cars {
  source    json("vega-datasets/data/cars.json")
  features  Horsepower, Weight_in_lbs
  missing   drop
  target    mpg = number(Miles_per_Gallon)
  split     train: 0.6, val: 0.2, test: 0.2
}

model net(cars.input) {
  h   = dense(16, activation: relu)
  out = dense(1)
}

model ae(cars.input) {
  code = dense(1, activation: sigmoid)
  back = dense(2)
}

task economy = regress(net.out, cars.mpg)

train {
  optimizer adam(lr: 1e-3)
  epochs    5
  batch     32
}

regularize ae {
  contractive(0.1) on code
}

regularize net {
  tangent_prop(weight: 0.1) along ALONG
}
`;

  it("rejects a geometric transform, pointing at it", () => {
    const text = CARS.replace("ALONG", "rotate");
    expect(summarize(text, diagnose(text)).filter((d) => d.startsWith("REG4001"))).toEqual(["REG4001 rotate"]);
  });

  it("accepts tangents learned by a contractive autoencoder", () => {
    const text = CARS.replace("ALONG", "manifold(ae, k: 1)");
    expect(diagnose(text).filter((d) => d.code === "REG4001")).toEqual([]);
  });
});
