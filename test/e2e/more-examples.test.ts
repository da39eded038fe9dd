import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FinalMetrics, History } from "../../src/runtime/run/history.js";
import { EXAMPLES, ROOT, startRegc } from "./support.js";

/**
 * The specs of examples/more/, which between them use every technique the
 * contract examples leave out, each through `regc run` as a user types it,
 * shortened with `--epochs`: every run exits 0, beats a trivial predictor
 * and reports what its techniques report.
 */

const MORE = join(EXAMPLES, "more");
/** Epochs per spec: enough for a real effect, small enough for the whole file to stay well under a minute. */
const EPOCHS: Record<string, number> = {
  "penguins-constrained-vote": 10,
  "cars-soft-sharing": 40,
  "digits-snapshot-ensemble": 3,
  "digits-pgd-mc-dropout": 2,
  "digits-manifold-tangent": 2,
};

interface Run {
  folder: string;
  metrics: FinalMetrics;
  code: string;
  stderr: string;
}

const scratch = mkdtempSync(join(ROOT, ".scratch-more-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const runs = new Map<string, Run>();

/** Runs one spec of examples/more/ for its short number of epochs on wasm. */
async function run(name: string): Promise<Run> {
  const folder = join(scratch, name);
  const finished = await startRegc(["run", join(MORE, `${name}.reg`), "--backend", "wasm", "--epochs", String(EPOCHS[name]), "--runs", folder], scratch);
  expect(finished.code, finished.stderr).toBe(0);
  const [only] = readdirSync(folder).filter((entry) => !entry.startsWith("."));
  const runFolder = join(folder, only!);
  return {
    folder: runFolder,
    metrics: JSON.parse(readFileSync(join(runFolder, "metrics.json"), "utf8")) as FinalMetrics,
    code: readFileSync(join(runFolder, `${name}.ts`), "utf8"),
    stderr: finished.stderr,
  };
}

// The runs are independent processes: start them together, two cores share them.
beforeAll(async () => {
  const names = Object.keys(EPOCHS);
  const finished = await Promise.all(names.map(run));
  names.forEach((name, i) => runs.set(name, finished[i]!));
}, 150_000);

const testMetric = (name: string, metric: string) => runs.get(name)!.metrics.splits["test"]![metric]!;

describe("examples/more", () => {
  it("holds exactly the specs this file runs", () => {
    expect(readdirSync(MORE).filter((file) => file.endsWith(".reg")).sort()).toEqual(Object.keys(EPOCHS).map((name) => `${name}.reg`).sort());
  });

  it("penguins: constrained, decayed, bagged members voting beat the majority class", () => {
    const { code, metrics } = runs.get("penguins-constrained-vote")!;
    for (const call of ["reg.weightDecay(0.01", "reg.unitnorm(", "reg.normBall(4", "reg.nonneg(", `reg.bagging({ members: 5, combine: "vote"`]) expect(code).toContain(call);
    expect(metrics.members!.map((member) => member.name)).toEqual(["member-1", "member-2", "member-3", "member-4", "member-5"]);
    // Adelie, the most common species, is 44% of the penguins.
    expect(testMetric("penguins-constrained-vote", "accuracy")).toBeGreaterThan(0.7);
  });

  it("cars: soft-tied towers with learned task weights and a noisy trunk beat the mean, and retrain on train + val", () => {
    const { code, metrics, folder } = runs.get("cars-soft-sharing")!;
    expect(code).toContain("reg.softTie(");
    expect(code).toContain("reg.uncertaintyWeighting(");
    expect(code).toContain("reg.gaussianNoise(0.1), // gaussian_noise(0.1) on trunk");
    const history = JSON.parse(readFileSync(join(folder, "history.json"), "utf8")) as History;
    expect(history.epochs.some((epoch) => epoch.phase === "retrain_all")).toBe(true);
    const learned = metrics.extra!["uncertainty_weighting"]!;
    for (const key of ["economy_log_variance", "economy_weight", "region_log_variance", "region_weight"]) expect(Number.isFinite(learned[key])).toBe(true);
    // Predicting the mean mpg gives a test RMSE of about 7.8 on these splits (see the example D test).
    expect(testMetric("cars-soft-sharing", "economy_rmse")).toBeLessThan(6);
    expect(testMetric("cars-soft-sharing", "region_accuracy")).toBeGreaterThan(0.5);
  });

  it("digits: the snapshot ensemble keeps one snapshot per cycle and predicts far above chance", () => {
    const { folder, metrics } = runs.get("digits-snapshot-ensemble")!;
    for (const cycle of [1, 2, 3]) {
      expect(existsSync(join(folder, "snapshots", String(cycle)))).toBe(true);
      expect(metrics.extra![`snapshot ${cycle} (test)`]!["accuracy"]!).toBeGreaterThan(0.1);
    }
    expect(testMetric("digits-snapshot-ensemble", "accuracy")).toBeGreaterThan(0.6);
  });

  it("digits: pgd-trained, predicted by mc dropout, reports accuracy clean and under attack", () => {
    const { code, metrics } = runs.get("digits-pgd-mc-dropout")!;
    expect(code).toContain("dropout(0.3) after h1");
    expect(code).toContain("reg.mcDropout({ samples: 10 })");
    const accuracy = testMetric("digits-pgd-mc-dropout", "accuracy");
    expect(accuracy).toBeGreaterThan(0.6);
    const attacked = metrics.extra!["test under pgd(eps: 0.1, steps: 3, step: 0.0833333)"]!["accuracy"]!;
    expect(attacked).toBeLessThan(accuracy);
  });

  it("digits: the manifold tangent classifier pretrains its autoencoder, and tangent distance beats Euclidean", () => {
    const { folder, metrics } = runs.get("digits-manifold-tangent")!;
    expect(existsSync(join(folder, "pretrained-cae", "model"))).toBe(true);
    const extra = metrics.extra!;
    expect(extra["cae (pretrained) test"]!["mse"]!).toBeLessThan(0.1);
    expect(extra["tangent_prop"]!["test_sensitivity"]!).toBeGreaterThan(0);
    expect(testMetric("digits-manifold-tangent", "accuracy")).toBeGreaterThan(0.5);
    expect(extra["tangent_distance"]!["test_accuracy"]!).toBeGreaterThan(extra["tangent_distance"]!["test_euclidean_accuracy"]!);
  });
});
