import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { loadData } from "../../src/runtime/data/load.js";
import type { FinalMetrics, History } from "../../src/runtime/run/history.js";
import { loadTensors } from "../../src/runtime/run/weights-io.js";
import { EXAMPLES, onlyRunFolder, readJson, ROOT, startRegc } from "./support.js";

/**
 * Contract examples D (multitask cars, bagged) and E (tied autoencoder),
 * shortened with `--epochs`, through `regc run` as a user types it:
 * better than trivial predictors, the tie held, the members kept.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-ensembles-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => selectBackend("cpu"));

const mean = (numbers: readonly number[]) => numbers.reduce((a, b) => a + b, 0) / numbers.length;

describe("example D: multitask cars with bagging", () => {
  /** The trivial predictors on D's own splits (as the spec's data block makes them): the training mean of mpg, the training class frequencies of origin. */
  async function trivialPredictors() {
    const cars = await loadData({
      name: "cars",
      source: { kind: "json", path: "vega-datasets/data/cars.json", specFolder: EXAMPLES },
      features: ["Horsepower", "Weight_in_lbs", "Displacement", "Acceleration", "Cylinders"],
      targets: [{ name: "mpg", kind: "number", column: "Miles_per_Gallon" }, { name: "origin", kind: "class", classes: 3, column: "Origin" }],
      normalize: "standard",
      missing: "drop",
      split: { train: 0.6, val: 0.2, test: 0.2 },
      seed: 1,
    });
    const [train, test] = [cars.splits["train"]!, cars.splits["test"]!];
    const trainMpg = Array.from(train.targets["mpg"]!.dataSync());
    const testMpg = Array.from(test.targets["mpg"]!.dataSync());
    const meanRmse = Math.sqrt(mean(testMpg.map((y) => (y - mean(trainMpg)) ** 2)));
    const trainOrigin = Array.from(train.targets["origin"]!.dataSync());
    const testOrigin = Array.from(test.targets["origin"]!.dataSync());
    const frequency = [0, 1, 2].map((k) => trainOrigin.filter((c) => c === k).length / trainOrigin.length);
    const majority = frequency.indexOf(Math.max(...frequency));
    return {
      meanRmse,
      majorityAccuracy: testOrigin.filter((c) => c === majority).length / testOrigin.length,
      priorCrossEntropy: mean(testOrigin.map((c) => -Math.log(frequency[c]!))),
    };
  }

  it("trains five members on bootstrap resamples, keeps each, and their average beats the trivial predictors", async () => {
    const runs = join(scratch, "d");
    const run = await startRegc(["run", join(EXAMPLES, "d-multitask-cars.reg"), "--epochs", "15", "--backend", "wasm", "--runs", runs], scratch);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/member-5 of 5: a bootstrap resample of train \(235 rows drawn with replacement, \d+ distinct\)/);
    const folder = onlyRunFolder(runs);
    const metrics = readJson<FinalMetrics>(join(folder, "metrics.json"));
    const members = metrics.members!;
    expect(members.map((m) => m.name)).toEqual(["member-1", "member-2", "member-3", "member-4", "member-5"]);

    // Each member: its own folder, weights, metrics and history, from its own initial weights.
    const firstKernels: number[] = [];
    for (const member of members) {
      for (const file of ["model/model.json", "metrics.json", "history.json", "report.html"]) expect(existsSync(join(folder, member.name, file)), `${member.name}/${file}`).toBe(true);
      const { tensors } = await loadTensors(join(folder, member.name, "model"));
      expect([...tensors.keys()].sort()).toEqual(["mpg/bias", "mpg/kernel", "origin/bias", "origin/kernel", "t1/bias", "t1/kernel", "t2/bias", "t2/kernel"]);
      firstKernels.push(tensors.get("t1/kernel")!.dataSync()[0]!);
    }
    expect(new Set(firstKernels).size).toBe(5);
    const history = readJson<History>(join(folder, "history.json"));
    expect(history.members!.map((m) => m.epochs.length)).toEqual([15, 15, 15, 15, 15]);

    const trivial = await trivialPredictors();
    const test = metrics.splits["test"]!;
    expect(test["economy_rmse"]!).toBeLessThan(0.7 * trivial.meanRmse);
    expect(test["region_loss"]!).toBeLessThan(0.8 * trivial.priorCrossEntropy);
    expect(test["region_accuracy"]!).toBeGreaterThanOrEqual(trivial.majorityAccuracy);
    // Averaging can only help the squared error and the cross-entropy (both convex): never worse than the members' mean.
    const memberTests = members.map((m) => m.splits["test"]!);
    expect(test["economy_rmse"]! ** 2).toBeLessThanOrEqual(mean(memberTests.map((m) => m["economy_rmse"]! ** 2)) + 1e-6);
    expect(test["region_loss"]!).toBeLessThanOrEqual(mean(memberTests.map((m) => m["region_loss"]!)) + 1e-6);
    const report = readFileSync(join(folder, "report.html"), "utf8");
    expect(report).toContain('<a href="member-3/report.html">member-3</a>');
    expect(report).toContain("val economy_rmse");
  }, 120_000);

  it("Ctrl-C during a member checkpoints; --resume finishes with exactly the uninterrupted run's metrics", async () => {
    const spec = join(EXAMPLES, "d-multitask-cars.reg");
    const whole = join(scratch, "d-whole");
    expect((await startRegc(["run", spec, "--epochs", "6", "--backend", "wasm", "--runs", whole], scratch)).code).toBe(0);
    const expected = readJson<FinalMetrics>(join(onlyRunFolder(whole), "metrics.json"));
    const expectedHistory = readJson<History>(join(onlyRunFolder(whole), "history.json"));

    const split = join(scratch, "d-split");
    let signalled = false;
    const interrupted = await startRegc(["run", spec, "--epochs", "6", "--backend", "wasm", "--runs", split], scratch, (stderr, child) => {
      if (!signalled && stderr.includes("member-2 of 5")) {
        signalled = true;
        child.kill("SIGINT");
      }
    });
    expect(interrupted.code, interrupted.stderr).toBe(130);
    const folder = onlyRunFolder(split);
    expect(interrupted.stderr).toContain(`regc run --resume ${folder}`);
    expect(existsSync(join(folder, "metrics.json"))).toBe(false);

    // The run folder keeps `--epochs` and `--backend`: resuming needs neither.
    const resumed = await startRegc(["run", "--resume", folder], scratch);
    expect(resumed.code, resumed.stderr).toBe(0);
    const metrics = readJson<FinalMetrics>(join(folder, "metrics.json"));
    expect(metrics.splits).toEqual(expected.splits);
    expect(metrics.members).toEqual(expected.members);
    const epochsOf = (history: History) => history.members!.map((member) => member.epochs.map(({ seconds: _seconds, ...rest }) => rest));
    expect(epochsOf(readJson<History>(join(folder, "history.json")))).toEqual(epochsOf(expectedHistory));
  }, 120_000);
});

describe("example E: tied-weight autoencoder", () => {
  it("trains with one variable for both kernels and reconstructs better than the mean image", async () => {
    const runs = join(scratch, "e");
    const run = await startRegc(["run", join(EXAMPLES, "e-tied-autoencoder.reg"), "--epochs", "8", "--backend", "wasm", "--runs", runs], scratch);
    expect(run.code, run.stderr).toBe(0);
    const folder = onlyRunFolder(runs);
    const metrics = readJson<FinalMetrics>(join(folder, "metrics.json"));

    // The tie: after training, the decoder's kernel (exported as the shared values) is exactly the encoder's, transposed.
    const { tensors } = await loadTensors(join(folder, "model"));
    expect([...tensors.keys()]).toEqual(["enc/kernel", "enc/bias", "dec/kernel", "dec/bias"]);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(tensors.get("dec/kernel")!, tf.transpose(tensors.get("enc/kernel")!)))).dataSync()[0])).toBe(0);

    const digits = await loadData({ name: "digits", source: { kind: "mnist" }, imageShape: [28, 28, 1], targets: [{ name: "self", kind: "self" }], split: { train: 2000, val: 500, test: 1000 }, seed: 0 });
    const test = digits.splits["test"]!;
    const [meanImageMse, tiedMse] = tf.tidy(() => {
      const x = tf.reshape(test.x, [test.rows, 784]);
      const meanImage = tf.mean(tf.reshape(digits.splits["train"]!.x, [-1, 784]), 0);
      const code = tf.sigmoid(tf.add(tf.matMul(x, tensors.get("enc/kernel")!), tensors.get("enc/bias")!));
      // The decoder rebuilt from the encoder's kernel, transposed: it must give the run's own test error.
      const decoded = tf.sigmoid(tf.add(tf.matMul(code, tf.transpose(tensors.get("enc/kernel")!)), tensors.get("dec/bias")!));
      return [tf.mean(tf.square(tf.sub(x, meanImage))).dataSync()[0]!, tf.mean(tf.square(tf.sub(x, decoded))).dataSync()[0]!];
    });
    expect(tiedMse).toBeCloseTo(metrics.splits["test"]!["mse"]!, 4);
    expect(metrics.splits["test"]!["mse"]!).toBeLessThan(0.95 * meanImageMse);
    const history = readJson<History>(join(folder, "history.json"));
    expect(history.epochs[7]!.val!.loss!).toBeLessThan(0.7 * history.epochs[0]!.val!.loss!);
  }, 120_000);
});
