import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { FinalMetrics, History } from "../../src/runtime/run/history.js";
import { loadTensors } from "../../src/runtime/run/weights-io.js";
import { digitsSpec, type DigitsSpec } from "../support/digits-spec.js";
import { EXAMPLES, onlyRunFolder, readJson, ROOT, startRegc } from "./support.js";

/** `regc run` end to end on real data: what a user types, what lands in the run folder. */

const scratch = mkdtempSync(join(ROOT, ".scratch-run-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => selectBackend("cpu"));

/** A small digit classifier that trains in a few seconds. */
function smallDigitsSpec(options: DigitsSpec): string {
  return digitsSpec({ split: { train: 400, val: 200, test: 200 }, dropout: 0.2, regularize: ["maxnorm(2) on h.kernel"], ...options });
}

/** A linear fit to `t.csv` (columns a, b and y), trained for `epochs`, with `after` appended. */
function tableSpec(epochs: number, after = ""): string {
  return `data t {
  source   csv("t.csv")
  features a, b
  target   y = number(y)
  split    train: 0.5, test: 0.5
}

model m(t.input) {
  out = dense(1)
}

task fit = regress(m.out, t.y)

train {
  optimizer sgd(lr: 0.01)
  epochs    ${epochs}
  batch     2
}
${after === "" ? "" : `\n${after}`}`;
}

function comparable(history: History) {
  return history.epochs.map(({ seconds: _seconds, ...rest }) => rest);
}

describe("regc run", () => {
  it("trains a shortened example A on real digits: accuracy far above chance, max-norm holds, the folder is complete", async () => {
    const runs = join(scratch, "a");
    const run = await startRegc(["run", join(EXAMPLES, "a-mlp-dropout-maxnorm.reg"), "--epochs", "3", "--backend", "wasm", "--runs", runs], scratch);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("on the wasm backend");
    expect(run.stderr).toMatch(/^epoch 3\/3 .*val_accuracy/m);
    const folder = onlyRunFolder(runs);
    const metrics = readJson<FinalMetrics>(join(folder, "metrics.json"));
    expect(metrics.splits.test!.accuracy).toBeGreaterThan(0.7);
    const history = readJson<History>(join(folder, "history.json"));
    expect(history.epochs).toHaveLength(3);
    expect(history.epochs[2]!.train.loss).toBeLessThan(history.epochs[0]!.train.loss!);

    const { tensors } = await loadTensors(join(folder, "model"));
    for (const name of ["h1/kernel", "h2/kernel", "out/kernel"]) {
      const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(tensors.get(name)!), 0)).dataSync());
      expect(Math.max(...norms)).toBeLessThanOrEqual(3 * (1 + 1e-5));
    }
    const report = readFileSync(join(folder, "report.html"), "utf8");
    expect(report).toContain("<svg");

    // What ran is byte for byte what `regc compile` writes.
    const compiled = await startRegc(["compile", join(EXAMPLES, "a-mlp-dropout-maxnorm.reg"), "-o", join(scratch, "a-compiled")], scratch);
    expect(compiled.code).toBe(0);
    expect(readFileSync(join(folder, "a-mlp-dropout-maxnorm.ts"), "utf8")).toBe(readFileSync(join(scratch, "a-compiled", "a-mlp-dropout-maxnorm.ts"), "utf8"));
  }, 120_000);

  it("regularizes unnamed layers by the names the checker gives them (`dense_2.kernel` from `*.kernel`)", async () => {
    const spec = join(scratch, "unnamed.reg");
    writeFileSync(spec, smallDigitsSpec({ epochs: 1, regularize: ["maxnorm(2) on *.kernel", "l2(1e-4) on *.kernel"] }).replace("  h   = dense(32", "  dense(32"));
    const runs = join(scratch, "unnamed");
    const run = await startRegc(["run", spec, "--runs", runs, "--backend", "wasm"], scratch);
    expect(run.stderr).not.toContain("has no parameter");
    expect(run.code).toBe(0);
    const code = readFileSync(join(onlyRunFolder(runs), "unnamed.ts"), "utf8");
    expect(code).toContain('reg.dense(32, { name: "dense_2", activation: "relu", useBias: true })');
    expect(code).toContain('reg.l2(0.0001, { on: ["dense_2.kernel", "out.kernel"] })');
  }, 60_000);

  it("solves example F in closed form and prints the ridge solution", async () => {
    const runs = join(scratch, "f");
    const run = await startRegc(["run", join(EXAMPLES, "f-underconstrained-ridge.reg"), "--runs", runs], scratch);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/closed-form ridge solution: ‖w‖ = [\d.]+, bias = -?[\d.]+/);
    const folder = onlyRunFolder(runs);
    const solution = readJson<{ kernel: number[]; bias: number[] }>(join(folder, "solution.json"));
    expect(solution.kernel).toHaveLength(100);
  }, 60_000);

  it("Ctrl-C checkpoints and exits 130; --resume finishes with the same history and weights as an uninterrupted run", async () => {
    const spec = join(scratch, "digits.reg");
    // Adam: its running β-products must come back exactly, not recomputed.
    writeFileSync(spec, smallDigitsSpec({ epochs: 6, optimizer: "adam(lr: 2e-3)" }));
    const whole = join(scratch, "whole");
    expect((await startRegc(["run", spec, "--runs", whole, "--backend", "wasm"], scratch)).code).toBe(0);
    const expected = readJson<History>(join(onlyRunFolder(whole), "history.json"));

    const split = join(scratch, "split");
    let signalled = false;
    const interrupted = await startRegc(["run", spec, "--runs", split, "--backend", "wasm"], scratch, (stderr, child) => {
      if (!signalled && stderr.includes("epoch 1/6")) {
        signalled = true;
        child.kill("SIGINT");
      }
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/interrupted after epoch \d, step \d+; checkpoint and history saved/);
    const folder = onlyRunFolder(split);
    const partial = readJson<History>(join(folder, "history.json"));
    expect(partial.epochs.length).toBeLessThan(6);
    expect(existsSync(join(folder, "metrics.json"))).toBe(false);

    const resumed = await startRegc(["run", "--resume", folder, "--backend", "wasm"], scratch);
    expect(resumed.stderr).toContain("resuming");
    expect(resumed.code).toBe(0);
    expect(comparable(readJson<History>(join(folder, "history.json")))).toEqual(comparable(expected));
    const [resumedWeights, wholeWeights] = await Promise.all([loadTensors(join(folder, "model")), loadTensors(join(onlyRunFolder(whole), "model"))]);
    for (const [name, tensor] of wholeWeights.tensors) expect(resumedWeights.tensors.get(name)!.dataSync()).toEqual(tensor.dataSync());
  }, 120_000);

  it("names the run folder after a spec named in any script, and resumes from it", async () => {
    const spec = join(scratch, "données 数字.reg");
    writeFileSync(spec, smallDigitsSpec({ epochs: 1 }));
    const runs = join(scratch, "named");
    expect((await startRegc(["run", spec, "--runs", runs, "--backend", "wasm"], scratch)).code).toBe(0);
    const folder = onlyRunFolder(runs);
    expect(basename(folder)).toMatch(/^données_数字-\d{8}-\d{6}$/);
    const resumed = await startRegc(["run", "--resume", folder, "--epochs", "2", "--backend", "wasm"], scratch);
    expect(resumed.stderr).toContain("resuming données 数字.reg on the wasm backend");
    expect(resumed.stderr).toContain(`run folder: ${folder}`);
    expect(resumed.code).toBe(0);
    expect(readJson<History>(join(folder, "history.json")).epochs.map((epoch) => epoch.epoch)).toEqual([1, 2]);
  }, 60_000);

  it("stops on a diverging loss, naming epoch, step and likely cause, and keeps the history (exit 5)", async () => {
    const spec = join(scratch, "diverge.reg");
    writeFileSync(spec, smallDigitsSpec({ epochs: 3, optimizer: "sgd(lr: 1e12)", regularize: [] }));
    const runs = join(scratch, "diverge");
    const run = await startRegc(["run", spec, "--runs", runs, "--backend", "wasm"], scratch);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/the training loss became (NaN|infinite) at epoch \d+, step \d+\. Most likely the learning rate \(1000000000000\) is too high/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(onlyRunFolder(runs), "history.json"))).toBe(true);
  }, 60_000);

  it("a bad data file names the file, column and row, without a stack trace (exit 2)", async () => {
    const folder = join(scratch, "bad-data");
    const csvSpec = tableSpec(1);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "t.csv"), "a,b,y\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n");
    writeFileSync(join(folder, "spec.reg"), csvSpec);
    // Compiled against a clean file, which then breaks before the program reads it: the runtime must say where.
    expect((await startRegc(["compile", "spec.reg", "-o", "out"], folder)).code).toBe(0);
    writeFileSync(join(folder, "t.csv"), "a,b,y\n1,2,3\n4,five,6\n7,8,9\n10,11,12\n");
    const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join("out", "spec.ts"), "--runs", "runs", "--backend", "cpu"], {
      cwd: folder,
      encoding: "utf8",
      env: { ...process.env, CI: "1" },
    });
    expect(run.stderr).toMatch(/t\.csv.*column `b`.*row 3.*"five" is not a number/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.status).toBe(2);
    // Nothing trained, nothing kept: no half-empty run folder.
    expect(existsSync(join(folder, "runs")) ? readdirSync(join(folder, "runs")) : []).toEqual([]);
    // `regc run` checks first, so there the same file is a spec error.
    const checked = await startRegc(["run", "spec.reg", "--runs", "runs"], folder);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain("REG6003");
    // Nor the folder it compiles into, which it made.
    expect(existsSync(join(folder, "runs", ".compiled"))).toBe(false);
  }, 60_000);

  it("a label added to the data after compiling is named with its row by the program, which holds the labels the check read (exit 2)", async () => {
    const folder = join(scratch, "new-label");
    mkdirSync(folder, { recursive: true });
    const rows = (eighth: string) => ["a,b,answer", ...Array.from({ length: 9 }, (_, i) => `${i},${9 - i},${i === 6 ? eighth : i % 2 ? "yes" : "no"}`)].join("\n");
    writeFileSync(join(folder, "t.csv"), rows("no"));
    writeFileSync(
      join(folder, "spec.reg"),
      tableSpec(1)
        .replace("features a, b\n  target   y = number(y)", "features a, b\n  target   y = class(answer)")
        .replace("out = dense(1)", "out = dense(2)")
        .replace("regress(m.out, t.y)", "classify(m.out, t.y)"),
    );
    expect((await startRegc(["compile", "spec.reg", "-o", "out"], folder)).code).toBe(0);
    // Row 8 of the file; "yes" sorts after "maybe" and was the label named before.
    writeFileSync(join(folder, "t.csv"), rows("maybe"));
    const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join("out", "spec.ts"), "--runs", "runs", "--backend", "cpu"], {
      cwd: folder,
      encoding: "utf8",
      env: { ...process.env, CI: "1" },
    });
    expect(run.stderr).toContain('error: `t.csv`, column `answer`, row 8: label "maybe" is not one of the 2 labels the program was compiled with ("no", "yes")');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.status).toBe(2);
  }, 60_000);

  it("refuses --epochs fewer than snapshot_ensemble's cycles, from regc run and from the program's own command line, as the checker refuses such epochs in the spec (exit 2)", async () => {
    const folder = join(scratch, "snapshot-epochs");
    const csvSpec = tableSpec(4, "regularize m {\n  snapshot_ensemble(cycles: 3)\n}\n");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "t.csv"), "a,b,y\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n");
    writeFileSync(join(folder, "spec.reg"), csvSpec);
    const runFolders = (runs: string) => (existsSync(join(folder, runs)) ? readdirSync(join(folder, runs)).filter((name) => !name.startsWith(".")) : []);
    const refusal = "--epochs 2 is fewer than snapshot_ensemble's 3 cycles; use --epochs 3 or more, or fewer cycles";

    const run = await startRegc(["run", "spec.reg", "--epochs", "2", "--runs", "runs", "--backend", "cpu"], folder);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`regc: error: ${refusal}\n`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    // Nothing trained, nothing kept: no run folder without a checkpoint.
    expect(runFolders("runs")).toEqual([]);

    expect((await startRegc(["compile", "spec.reg", "-o", "out"], folder)).code).toBe(0);
    const direct = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join("out", "spec.ts"), "--epochs", "2", "--runs", "direct", "--backend", "cpu"], {
      cwd: folder,
      encoding: "utf8",
      env: { ...process.env, CI: "1" },
    });
    expect(direct.status, direct.stderr).toBe(2);
    expect(direct.stderr).toContain(`error: ${refusal}\n`);
    expect(direct.stderr).not.toMatch(/^\s+at /m);
    expect(runFolders("direct")).toEqual([]);

    // As many epochs as cycles is enough.
    const enough = await startRegc(["run", "spec.reg", "--epochs", "3", "--runs", "runs", "--backend", "cpu"], folder);
    expect(enough.code, enough.stderr).toBe(0);
    expect(enough.stderr).toContain("epoch 3/3");
  }, 60_000);
});
