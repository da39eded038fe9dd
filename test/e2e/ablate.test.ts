import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AblationDocument } from "../../src/experiments/ablation/document.js";
import { digitsSpec } from "../support/digits-spec.js";
import { readJson, ROOT, startRegc } from "./support.js";

/** `regc ablate` end to end: real training of tiny specs, a clause that certainly hurts, the same numbers on any worker count. */

const scratch = mkdtempSync(join(ROOT, ".scratch-ablate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const DIGITS = digitsSpec({ regularize: ["l2(1.0) on *.kernel", "maxnorm(2) on h.kernel"] });

const CARS = `data cars {
  source   json("vega-datasets/data/cars.json")
  features Horsepower, Weight_in_lbs, Displacement
  normalize standard
  missing  drop
  target   mpg = number(Miles_per_Gallon)
  split    train: 0.6, val: 0.2, test: 0.2
  seed     1
}

model m(cars.input) {
  h   = dense(16, activation: relu)
  out = dense(1)
}

task fit = regress(m.out, cars.mpg)

train {
  optimizer adam(lr: 0.05)
  epochs    6
  batch     32
}

regularize m {
  l2(10) on *.kernel
}
`;

async function ablate(spec: string, name: string, extra: string[]): Promise<{ document: AblationDocument; folder: string; stderr: string }> {
  writeFileSync(join(scratch, `${name}.reg`), spec);
  const run = await startRegc(["ablate", `${name}.reg`, "--backend", "wasm", "--format", "json", "--out", join(scratch, `${name}-out`), ...extra], scratch);
  expect(run.code, run.stderr).toBe(0);
  const document = JSON.parse(run.stdout) as AblationDocument;
  const folder = resolve(scratch, /→ (.+)\n/.exec(run.stderr)![1]!);
  return { document, folder, stderr: run.stderr };
}

function trialMetrics(document: AblationDocument) {
  return Object.fromEntries(document.trials.map((trial) => [trial.id, trial.metrics]));
}

describe("regc ablate", () => {
  it("a huge l2 hurts test accuracy: its interval lies below 0; the numbers are the same with 1 and 2 workers", async () => {
    const two = await ablate(DIGITS, "digits", ["--arms", "l2", "--seeds", "3", "--workers", "2"]);
    const { document, folder } = two;
    expect(document.version).toBe(1);
    expect(document.metric).toBe("test_accuracy");
    expect(document.higherIsBetter).toBe(true);
    expect(document.seeds).toEqual([0, 1, 2]);
    expect(document.complete).toBe(true);
    expect(document.arms.map((arm) => [arm.name, arm.removed, arm.status, arm.values.length])).toEqual([
      ["full", [], "ok", 3],
      ["l2(1.0) on *.kernel", ["l2(1.0) on *.kernel"], "ok", 3],
    ]);
    const [effect] = document.effects;
    expect(effect!.clause).toBe("l2(1.0) on *.kernel");
    expect(effect!.verdict).toBe("hurts");
    expect(effect!.ci95![1]).toBeLessThan(0);
    const full = document.arms[0]!.values as number[];
    const without = document.arms[1]!.values as number[];
    expect(effect!.delta).toBeCloseTo((full[0]! - without[0]! + full[1]! - without[1]! + full[2]! - without[2]!) / 3, 12);

    expect(readJson<AblationDocument>(join(folder, "ablation.json")).effects).toEqual(document.effects);
    expect(existsSync(join(folder, "trials", "full@seed2", "model", "model.json"))).toBe(true);
    expect(readJson<{ seed: number }>(join(folder, "trials", "without-l2@seed1", "history.json")).seed).toBe(1);
    const report = readFileSync(join(folder, "report.html"), "utf8");
    expect(report).toContain('<svg class="effects"');
    expect(report).toContain("without l2(1.0) on *.kernel: val accuracy");
    expect(report).not.toMatch(/<script|https?:\/\//);

    const one = await ablate(DIGITS, "digits", ["--arms", "l2", "--seeds", "3", "--workers", "1"]);
    expect(trialMetrics(one.document)).toEqual(trialMetrics(document));
  }, 180_000);

  it("a huge l2 hurts test RMSE: lower is better, so its interval lies above 0", async () => {
    const { document, stderr } = await ablate(CARS, "cars", ["--seeds", "3", "--workers", "2"]);
    expect(stderr).toContain("2 arms × 3 seeds");
    expect(document.metric).toBe("test_rmse");
    expect(document.higherIsBetter).toBe(false);
    expect(document.arms.map((arm) => arm.id)).toEqual(["full", "without-l2"]);
    const [effect] = document.effects;
    expect(effect!.verdict).toBe("hurts");
    expect(effect!.ci95![0]).toBeGreaterThan(0);
  }, 120_000);
});
