import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check, type CheckOptions } from "../../src/compiler/index.js";
import { formatBytes, memoryUse } from "../../src/compiler/checker/memory.js";
import { formatSpec } from "../../src/compiler/format/index.js";
import { EXAMPLES_DIR } from "../support/examples.js";

const tuningPath = join(EXAMPLES_DIR, "tuning", "a-dropout-maxnorm.reg");
const tuning = readFileSync(tuningPath, "utf8");
const exampleA = readFileSync(join(EXAMPLES_DIR, "a-mlp-dropout-maxnorm.reg"), "utf8");
const TUNE = "\ntune {\n  trials    8\n  objective maximize val_accuracy\n}\n";

function codes(text: string): string[] {
  return check(text, { path: tuningPath }).diagnostics.map((d) => `${d.code} ${text.slice(d.span.start, d.span.end)}`);
}

describe("search spaces", () => {
  it("check clean in example A, named after where they stand", () => {
    const result = check(tuning, { path: tuningPath });
    expect(result.diagnostics).toEqual([]);
    expect(result.program.spaces.map((s) => [s.name, s.kind])).toEqual([
      ["mlp.dropout.rate", "uniform"],
      ["mlp.dropout.rate#2", "uniform"],
      ["mlp.maxnorm.c", "choice"],
    ]);
    expect(result.program.spaces[2]!.options).toEqual(["1", "2", "3", "4"]);
    expect(result.program.tune).toMatchObject({ trials: 12, method: "halving", direction: "maximize", objective: "val_accuracy", reduction: 3 });
  });

  it("may stand for numbers, integers, words and calls in every block a trial varies", () => {
    const text = exampleA
      .replace("dense(512, activation: relu)", "dense(int_uniform(64, 512), activation: choice(relu, tanh))")
      .replace("sgd(lr: 0.01, momentum: 0.9)", "choice(sgd(lr: 0.01), adam(lr: 1e-3))")
      .replace("batch     32", "batch     choice(32, 64)")
      .replace("l2(1e-5)", "l2(log_uniform(1e-6, 1e-3))")
      .replace("digits.label)", "digits.label, weight: uniform(0.5, 2))");
    expect(codes(text + TUNE)).toEqual([]);
    expect(check(text + TUNE).program.spaces.map((s) => s.name)).toEqual([
      "mlp.h1.units",
      "mlp.h1.activation",
      "digit.weight",
      "train.optimizer",
      "train.batch",
      "mlp.l2.alpha",
    ]);
  });

  it("check every point against the argument: each choice, and both bounds of a range", () => {
    expect(codes(exampleA.replace("dropout(0.5)", "dropout(uniform(0.2, 1.5))") + TUNE)).toEqual(["REG2001 1.5"]);
    expect(codes(exampleA.replace("dropout(0.5)", "dropout(choice(0.2, -1, 0.3))") + TUNE)).toEqual(["REG2001 -1"]);
    expect(codes(exampleA.replace("activation: relu", "activation: choice(relu, tahn)") + TUNE)).toEqual(["REG1010 tahn"]);
    expect(codes(exampleA.replace("dense(512,", "dense(choice(64, 12.5),") + TUNE)).toEqual(["REG2002 12.5"]);
  });

  it("need positive log-uniform bounds, ordered bounds, and the right kind for the argument", () => {
    expect(codes(exampleA.replace("l2(1e-5)", "l2(log_uniform(0, 1e-3))") + TUNE)).toEqual(["REG2020 0"]);
    expect(codes(exampleA.replace("l2(1e-5)", "l2(uniform(1e-3, 1e-5))") + TUNE)).toEqual(["REG2021 uniform(1e-3, 1e-5)"]);
    expect(codes(exampleA.replace("l2(1e-5)", "l2(int_uniform(0, 1))") + TUNE)).toEqual(["REG2023 int_uniform"]);
    expect(codes(exampleA.replace("epochs    60", "epochs    uniform(10, 60)") + TUNE)).toEqual(["REG2023 uniform"]);
    expect(codes(exampleA.replace("activation: relu", "activation: uniform(0, 1)") + TUNE)).toEqual(["REG2023 uniform"]);
    expect(codes(exampleA.replace("epochs    60", "epochs    int_uniform(10, 60)") + TUNE)).toEqual([]);
  });

  it("cannot stand in the data block, for a reference, or inside another space", () => {
    expect(codes(exampleA.replace("seed   7", "seed   choice(1, 2)").replace("l2(1e-5)", "l2(choice(1e-5, 1e-4))") + TUNE)).toEqual(["REG2022 choice(1, 2)"]);
    expect(codes(exampleA.replace("monitor: val_loss", "monitor: choice(val_loss, val_accuracy)") + TUNE)).toEqual(["REG2022 choice(val_loss, val_accuracy)"]);
    expect(codes(exampleA.replace("l2(1e-5)", "l2(choice(0, uniform(1e-5, 1e-4)))") + TUNE)).toEqual(["REG2022 uniform(1e-5, 1e-4)"]);
  });

  it("go with a tune block, and a tune block with spaces", () => {
    const spaced = exampleA.replace("l2(1e-5)", "l2(choice(1e-5, 1e-4))");
    const [missing] = check(spaced).diagnostics;
    expect(missing?.code).toBe("REG5020");
    // The fix adds a block that makes the spec check.
    const edit = missing!.fix!.edits[0]!;
    const fixed = spaced.slice(0, edit.span.start) + edit.newText + spaced.slice(edit.span.end);
    expect(check(fixed).diagnostics).toEqual([]);
    expect(codes(exampleA + TUNE)).toEqual(["REG5021 tune"]);
  });

  it("objective: a metric the spec reports, not on the test split, with a direction", () => {
    const spaced = exampleA.replace("l2(1e-5)", "l2(choice(1e-5, 1e-4))");
    expect(codes(spaced + TUNE.replace("val_accuracy", "test_accuracy"))).toEqual(["REG4020 test_accuracy"]);
    expect(codes(spaced + TUNE.replace("val_accuracy", "val_acuracy"))).toEqual(["REG1010 val_acuracy"]);
    expect(codes(spaced + TUNE.replace("maximize val_accuracy", "val_accuracy"))).toEqual(["REG0001 objective"]);
    expect(codes(spaced + TUNE.replace("trials    8", "trials    8, 9"))).toEqual(["REG2004 9"]);
    expect(codes(spaced + TUNE.replace("trials    8", "trials maximize 8"))).toEqual(["REG0001 maximize"]);
  });

  it("may hold 0 for a strength, the clause switched off on purpose, where a bare 0 is warned of", () => {
    expect(codes(exampleA.replace("l2(1e-5)", "l2(0)"))).toEqual(["REG5007 0"]);
    expect(codes(exampleA.replace("l2(1e-5)", "l2(choice(0, 1e-5))") + TUNE)).toEqual([]);
  });

  it("grid takes only choices; halving does not search epochs", () => {
    const ranged = exampleA.replace("l2(1e-5)", "l2(log_uniform(1e-6, 1e-3))");
    expect(codes(ranged + TUNE.replace("}", "  method    grid\n}"))).toEqual(["REG5022 log_uniform"]);
    const epochs = exampleA.replace("epochs    60", "epochs    choice(10, 20)");
    expect(codes(epochs + TUNE.replace("}", "  method    halving\n}"))).toEqual(["REG5022 choice"]);
    expect(codes(epochs + TUNE.replace("trials    8", "trials    2").replace("}", "  method    grid\n}"))).toEqual([]);
  });
});

describe("halving's settings", () => {
  const halving = (settings: string) => tuning.replace(/tune \{[\s\S]*\}\n?$/, `tune {\n${settings}\n}\n`);

  it("under another method change nothing, which check says", () => {
    const found = check(halving("  trials    12\n  objective maximize val_accuracy\n  method    random\n  reduction 4"), { path: tuningPath }).diagnostics;
    expect(found.map((d) => [d.code, d.message])).toEqual([["REG5007", "`reduction` shapes `method halving`'s rungs; under `method random` it changes nothing"]]);
  });

  it("need trials enough for one to reach the last rung, and a first rung within the epochs", () => {
    // 60 epochs make rungs of 6, 18 and 60 epochs: the last takes 3² trials.
    const trials = (count: number) => check(halving(`  trials    ${count}\n  objective maximize val_accuracy\n  method    halving`), { path: tuningPath }).diagnostics;
    const few = trials(2);
    expect(few.map((d) => d.code)).toEqual(["REG5007"]);
    expect(few[0]!.message).toContain("so of 2 trials none reaches the last rung's 60 epochs: each trains only its first rung's 6 epochs");
    expect(few[0]!.hint).toBe("ask for at least 9 trials, raise `min_epochs` for fewer rungs, or use `method random`");
    expect(trials(8).map((d) => d.message)).toEqual([expect.stringContaining("so of 8 trials none reaches the last rung's 60 epochs: the best train 18 epochs")]);
    expect(trials(9)).toEqual([]);
    const long = check(halving("  trials    12\n  objective maximize val_accuracy\n  method    halving\n  min_epochs 500"), { path: tuningPath }).diagnostics;
    expect(long.map((d) => d.code)).toEqual(["REG2001"]);
    expect(codes(tuning)).toEqual([]);
  });

  it("need a first rung as long as a snapshot ensemble's cycles, which every trial trains", () => {
    // 60 epochs over 3² make a first rung of 6 by default.
    const snapshots = (cycles: number, settings: string) => halving(settings).replace("  l2(1e-5) on *.kernel\n", `  l2(1e-5) on *.kernel\n  snapshot_ensemble(cycles: ${cycles})\n`).replace(/ *early_stop\(.*\n/, "");
    const settings = "  trials    12\n  objective maximize val_accuracy\n  method    halving";
    expect(codes(snapshots(6, settings))).toEqual([]);
    const [byDefault, ...rest] = check(snapshots(10, settings), { path: tuningPath }).diagnostics;
    expect(rest).toEqual([]);
    expect([byDefault!.code, byDefault!.message]).toEqual(["REG2001", "halving's first rung must be at least `snapshot_ensemble`'s 10 `cycles`, which every trial trains, got 6 epochs (the epochs over `reduction`², by default)"]);
    expect(byDefault!.hint).toBe("write `min_epochs 10`, or fewer `cycles`");
    expect(codes(snapshots(10, `${settings}\n  min_epochs 10`))).toEqual([]);
    expect(codes(snapshots(10, `${settings}\n  min_epochs 4`))).toEqual(["REG2001 min_epochs 4"]);
    // Other methods train every trial for all the epochs.
    expect(codes(snapshots(10, settings.replace("halving", "random")))).toEqual([]);
  });
});

describe("a grid's trials", () => {
  // A choice of 2 dropout rates by one of 4 max-norm radii: a grid of 8 points.
  const grid = (trials: number) =>
    tuning
      .replace(/tune \{[\s\S]*\}\n?$/, `tune {\n  trials    ${trials}\n  objective maximize val_accuracy\n  method    grid\n}\n`)
      .replace("dropout(uniform(0.2, 0.7))", "dropout(choice(0.3, 0.5))")
      .replace("dropout(uniform(0.2, 0.7))", "dropout(0.5)");

  it("are warned when they are not the grid's points, with a fix asking for as many", () => {
    expect(codes(grid(8))).toEqual([]);
    for (const [trials, says] of [[10, "the grid has 8 points, so `trials 10` runs 8"], [4, "runs only the first 4"]] as const) {
      const text = grid(trials);
      const [warning, ...rest] = check(text, { path: tuningPath }).diagnostics;
      expect(rest).toEqual([]);
      expect(warning).toMatchObject({ code: "REG5007", severity: "warning" });
      expect(warning!.message).toContain(says);
      const fix = warning!.fix!.edits[0]!;
      expect(text.slice(0, fix.span.start) + fix.newText + text.slice(fix.span.end)).toContain("trials    8\n");
    }
  });

  it("count a large grid in grouped digits, and one past the most trials can ask for without asking for them", () => {
    const spaces = (count: number) => tuning.replace("dropout(uniform(0.2, 0.7))\n", `dropout(uniform(0.2, 0.7))\n${"  dropout(choice(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95))\n".repeat(count)}`);
    const gridOf = (count: number, trials: number) => spaces(count).replace(/tune \{[\s\S]*\}\n?$/, `tune {\n  trials    ${trials}\n  objective maximize val_accuracy\n  method    grid\n}\n`).replaceAll("dropout(uniform(0.2, 0.7))", "dropout(0.5)");
    const warnings = (text: string) => check(text, { path: tuningPath }).diagnostics.map((d) => [d.code, d.message, d.hint, d.fix?.edits[0]?.newText]);

    expect(warnings(gridOf(5, 4))).toEqual([
      ["REG5007", "the grid has 400,000 points, and `trials 4` runs only the first 4: `mlp.dropout.rate` would keep its first values", "ask for 400,000 trials, or use `method random` to sample 4 points across the spaces", "400000"],
    ]);
    for (const trials of [4, 2147483647]) {
      expect(warnings(gridOf(40, trials))).toEqual([
        [
          "REG5007",
          `the grid has more than 2,147,483,647 points, the most \`trials\` can ask for, and \`trials ${trials}\` runs only the first ${trials.toLocaleString("en-US")}: \`mlp.dropout.rate\` would keep its first values`,
          `use \`method random\` to sample ${trials.toLocaleString("en-US")} points across the spaces, or list fewer values`,
          undefined,
        ],
      ]);
    }
  });
});

describe("the objective's direction", () => {
  const objective = (line: string) => tuning.replace(/objective .*/, line);

  it("is warned when it would keep the worst trial, with a fix giving the other word", () => {
    const text = objective("objective maximize val_loss");
    const [warning, ...rest] = check(text, { path: tuningPath }).diagnostics;
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ code: "REG4021", severity: "warning" });
    expect(text.slice(warning!.span.start, warning!.span.end)).toBe("maximize");
    expect(warning!.fix?.edits).toEqual([{ span: warning!.span, newText: "minimize" }]);
    expect(codes(objective("objective minimize val_accuracy"))).toEqual(["REG4021 minimize"]);
  });

  it("is taken as written where it fits the metric", () => {
    expect(codes(objective("objective minimize val_loss"))).toEqual([]);
    expect(codes(objective("objective maximize val_accuracy"))).toEqual([]);
  });
});

describe("formatting", () => {
  it("keeps the tuning example as it is", () => {
    expect(formatSpec(tuning)).toEqual({ ok: true, text: tuning });
  });

  it("lays out spaces as calls and the tune block's settings in one column", () => {
    const messy = exampleA.replace("l2(1e-5)", "l2( log_uniform(1e-6,1e-3) )") + "tune{\ntrials 8\n   objective   maximize    val_accuracy // best on val\nmethod random}\n";
    const result = formatSpec(messy);
    expect(result.ok && result.text.endsWith("tune {\n  trials    8\n  objective maximize val_accuracy  // best on val\n  method    random\n}\n")).toBe(true);
    expect(result.ok && result.text).toContain("l2(log_uniform(1e-6, 1e-3)) on *.kernel");
  });
});

describe("the memory budget over a search", () => {
  const spaced = (from: string, to: string) => {
    expect(exampleA).toContain(from);
    return exampleA.replace(from, to) + TUNE;
  };
  const found = (text: string, options: CheckOptions = {}) => check(text, { path: tuningPath, ...options }).diagnostics.map((d) => [d.code, d.message, d.hint, text.slice(d.span.start, d.span.end)]);
  /** What training the spec's one model holds, written without spaces. */
  const needed = (text: string) => {
    const { program } = check(text, { path: tuningPath });
    return memoryUse(program, [...program.models.values()][0]!)!.needed;
  };

  it("warns of a space whose larger values do not fit, naming the last that does, in any order of a choice's values", () => {
    for (const choice of ["choice(4, 1000000000)", "choice(1000000000, 4)"]) {
      expect(found(spaced("h1  = dense(512,", `h1  = dense(${choice},`))).toEqual([
        [
          "REG3009",
          "trials with `mlp.h1.units` above 4 need more than the 2 GB memory budget: at 1000000000, training model `mlp` needs about 19 TB",
          "search `mlp.h1.units` up to 4, or raise the budget with `--memory-budget SIZE`",
          choice,
        ],
      ]);
    }
  });

  it("finds the largest value of a range that fits, one that checks on its own while the next does not", () => {
    const [warning, ...rest] = found(spaced("h1  = dense(512,", "h1  = dense(int_uniform(1, 2147483647),"));
    expect(rest).toEqual([]);
    expect(warning![0]).toBe("REG3009");
    const fits = Number(/above (\d+)/.exec(warning![1]!)![1]);
    expect(warning![2]).toBe(`search \`mlp.h1.units\` up to ${fits}, or raise the budget with \`--memory-budget SIZE\``);
    expect(codes(exampleA.replace("h1  = dense(512,", `h1  = dense(${fits},`))).toEqual([]);
    expect(codes(exampleA.replace("h1  = dense(512,", `h1  = dense(${fits + 1},`))).toEqual(["REG3008 mlp"]);
  });

  it("is an error where even the lightest point does not fit: no trial could run", () => {
    expect(found(spaced("h1  = dense(512,", "h1  = dense(choice(2000000000, 1000000000),"))).toEqual([
      [
        "REG3008",
        "training model `mlp` needs about 19 TB (1,297,000,005,642 parameters, 2,000,002,602 activation values per batch of 32), more than the 2 GB memory budget",
        "that is at the lightest point of the search spaces (`mlp.h1.units` 1000000000): no trial would fit",
        "mlp",
      ],
    ]);
  });

  it("reads any number memory depends on: a stride, lighter at its high end, and the batch, capped by the training rows", () => {
    const strided = (stride: string) => exampleA.replace("flatten()", `conv2d(64, 3, stride: ${stride})\n  flatten()`);
    // A budget that a stride of 2 fits and a stride of 1 does not.
    const budget = Math.floor((needed(strided("1")) + needed(strided("2"))) / 2);
    const [stride] = found(strided("choice(2, 1, 3)") + TUNE, { memoryBudget: budget });
    expect(stride!.slice(0, 3)).toEqual([
      "REG3009",
      `trials with \`mlp.conv2d.stride\` below 2 need more than the ${formatBytes(budget)} memory budget: at 1, training model \`mlp\` needs about ${formatBytes(needed(strided("1")))}`,
      "search `mlp.conv2d.stride` from 2, or raise the budget with `--memory-budget SIZE`",
    ]);

    const batch = (size: number) => exampleA.replace("batch     32", `batch     ${size}`);
    // Example A trains on 1,000 rows: a larger batch holds no more, so 100000 fits where 1000 does.
    expect(found(spaced("batch     32", "batch     int_uniform(1, 100000)"), { memoryBudget: needed(batch(1000)) })).toEqual([]);
    const [batchWarning] = found(spaced("batch     32", "batch     int_uniform(1, 100000)"), { memoryBudget: needed(batch(500)) });
    expect(batchWarning!.slice(0, 3)).toEqual([
      "REG3009",
      `trials with \`train.batch\` above 500 need more than the ${formatBytes(needed(batch(500)))} memory budget: at 100000, training model \`mlp\` needs about ${formatBytes(needed(batch(1000)))}`,
      "search `train.batch` up to 500, or raise the budget with `--memory-budget SIZE`",
    ]);
  });

  it("holds a model sized by one space and a batch searched by another to their lightest together", () => {
    const both = spaced("h1  = dense(512,", "h1  = dense(choice(4, 1000000000),").replace("batch     32", "batch     choice(32, 64)");
    const [warning, ...rest] = found(both);
    expect(rest).toEqual([]);
    expect(warning!.slice(0, 3)).toEqual([
      "REG3009",
      "trials with `mlp.h1.units` above 4 need more than the 2 GB memory budget: at 1000000000, training model `mlp` needs about 19 TB",
      "search `mlp.h1.units` up to 4 (the other spaces at their lightest), or raise the budget with `--memory-budget SIZE`",
    ]);
  });
});
