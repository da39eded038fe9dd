import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { DataSplit, Dataset } from "../../src/runtime/data/dataset.js";
import { dense } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { sgd } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { classify } from "../../src/runtime/train/tasks.js";
import type { Technique } from "../../src/runtime/train/technique.js";
import { Trainer, type TrainingPlan } from "../../src/runtime/train/trainer.js";
import { quietServices } from "../support/quiet-training.js";

/**
 * How an epoch draws its batches: one pass over the training split by
 * default; one pass over the largest split in use, in full batches of a
 * walk that cycles through the labeled rows, when a technique reads
 * another split; `steps_per_epoch` for any spec. Each row's input is its
 * own index, so the batches say which rows they hold.
 */

beforeAll(async () => {
  await selectBackend("cpu");
});

/** `rows` rows per split whose single input value is the row's index. */
function indexed(rows: Readonly<Record<string, number>>): Dataset {
  const split = (name: string, n: number): DataSplit => ({
    name,
    rows: n,
    x: tf.tensor2d(Array.from({ length: n }, (_, i) => i), [n, 1]),
    targets: name === "unlabeled" ? {} : { label: tf.tensor1d(Array.from({ length: n }, (_, i) => i % 2), "int32") },
  });
  return {
    name: "rows",
    kind: "table",
    inputShape: [1],
    inputRange: [-Infinity, Infinity],
    targets: { label: { kind: "class", classes: 2 } },
    splits: Object.fromEntries(Object.entries(rows).map(([name, n]) => [name, split(name, n)])),
    preprocessing: { kind: "table", shape: [1], features: ["i"], missing: "refuse" },
  };
}

/** A technique that only records, per epoch, the rows of each step's labeled batch and of its batch from `uses`. */
function recorder(uses: string[]) {
  const labeled: number[][][] = [];
  const extra: number[][][] = [];
  const technique: Technique = {
    label: "recorder",
    uses,
    transformBatch: (batch, step) => {
      (labeled[step.epoch - 1] ??= []).push([...batch.x.dataSync()]);
      const other = batch.extra?.get("unlabeled");
      if (other) (extra[step.epoch - 1] ??= []).push([...other.dataSync()]);
      return batch;
    },
  };
  return { technique, labeled, extra };
}

async function train(data: Dataset, technique: Technique, plan: Partial<TrainingPlan> = {}): Promise<number[]> {
  const stepsAnnounced: number[] = [];
  const services = quietServices();
  services.progress.epochStart = (_epoch, _epochs, steps) => void stepsAnnounced.push(steps);
  const model = new Model("m", [1], [dense(2, { name: "out" })], 0);
  const trainer = new Trainer(
    { model, data, tasks: [classify("t", { output: "out", target: "label" })], techniques: [technique], optimizer: sgd({ lr: 0 }), schedule: constant(), epochs: 2, batch: 4, seed: 3, ...plan },
    services,
  );
  for (let epoch = 1; epoch <= trainer.epochs; epoch++) {
    await trainer.trainEpoch(epoch);
    await trainer.endEpoch(epoch);
  }
  model.dispose();
  return stepsAnnounced;
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("an epoch's batches", () => {
  it("by default: one pass over the training split in a fresh order each epoch, the last batch short", async () => {
    const { technique, labeled } = recorder([]);
    expect(await train(indexed({ train: 10 }), technique)).toEqual([3, 3]);
    for (const epoch of labeled) {
      expect(epoch.map((batch) => batch.length)).toEqual([4, 4, 2]);
      expect(sorted(epoch.flat())).toEqual(range(10));
    }
    expect(labeled[0]!.flat()).not.toEqual(labeled[1]!.flat());
  });

  it("with a technique reading another split: one pass over the largest split, full labeled batches cycling in seeded orders", async () => {
    const { technique, labeled, extra } = recorder(["unlabeled"]);
    // 50 unlabeled rows in batches of 4: 12 steps.
    expect(await train(indexed({ train: 10, unlabeled: 50 }), technique)).toEqual([12, 12]);
    const walk = labeled.flat();
    expect(walk.every((batch) => batch.length === 4)).toBe(true);
    // 96 labeled draws across the two epochs: nine whole passes over the 10 rows, each in its own order, then 6 more.
    const draws = walk.flat();
    const passes = range(9).map((pass) => draws.slice(10 * pass, 10 * pass + 10));
    for (const pass of passes) expect(sorted(pass)).toEqual(range(10));
    expect(new Set(passes.map((pass) => pass.join())).size).toBe(9);
    // The unlabeled walk goes on across the epoch boundary: the first 50 draws are every row once.
    const unlabeled = extra.flat().flat();
    expect(unlabeled).toHaveLength(96);
    expect(sorted(unlabeled.slice(0, 50))).toEqual(range(50));
    expect(new Set(unlabeled.slice(50)).size).toBe(46);
  });

  it("the same seed draws the same batches", async () => {
    const first = recorder(["unlabeled"]);
    const second = recorder(["unlabeled"]);
    await train(indexed({ train: 10, unlabeled: 50 }), first.technique);
    await train(indexed({ train: 10, unlabeled: 50 }), second.technique);
    expect(second.labeled).toEqual(first.labeled);
    expect(second.extra).toEqual(first.extra);
  });

  it("steps_per_epoch sets the steps of any spec, in full batches of the cycling walk", async () => {
    const { technique, labeled } = recorder([]);
    expect(await train(indexed({ train: 10 }), technique, { stepsPerEpoch: 7 })).toEqual([7, 7]);
    const draws = labeled.flat().flat();
    expect(labeled.flat().every((batch) => batch.length === 4)).toBe(true);
    for (let pass = 0; pass < 5; pass++) expect(sorted(draws.slice(10 * pass, 10 * pass + 10))).toEqual(range(10));
  });

  it("steps_per_epoch overrides the pass over the largest split too", async () => {
    const { technique, extra } = recorder(["unlabeled"]);
    expect(await train(indexed({ train: 10, unlabeled: 50 }), technique, { stepsPerEpoch: 5 })).toEqual([5, 5]);
    // 40 unlabeled draws, all within the walk's first pass over the 50 rows.
    expect(new Set(extra.flat().flat()).size).toBe(40);
  });
});
