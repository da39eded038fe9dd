import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { loadData } from "../../src/runtime/data/load.js";
import { dense } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { uncertaintyWeighting } from "../../src/runtime/techniques/uncertainty-weighting.js";
import { adam } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { classify, regress } from "../../src/runtime/train/tasks.js";
import type { Technique } from "../../src/runtime/train/technique.js";
import { Trainer, type Checkpoint, type RunServices } from "../../src/runtime/train/trainer.js";
import { quietServices, trainToEnd } from "../support/quiet-training.js";

/**
 * §7.7 learned task weights (Kendall, Gal & Cipolla 2018): the objective
 * Σᵢ exp(−sᵢ)·Lᵢ + sᵢ by hand, and the sᵢ learned on example D's real cars
 * data.
 */

beforeAll(async () => {
  await selectBackend("cpu");
});

const tasks = [regress("economy", { output: "mpg", target: "mpg", loss: "huber" }), classify("region", { output: "origin", target: "origin", weight: 0.5 })];

function attachedTo(technique: Technique): Technique {
  technique.attach!({ model: {} as Model, tasks, data: {} as Dataset });
  return technique;
}

describe("uncertainty_weighting", () => {
  it("combines the task losses as Σᵢ exp(−sᵢ)·Lᵢ + sᵢ, with every sᵢ starting at 0", () => {
    const technique = attachedTo(uncertaintyWeighting());
    const [economy, region] = technique.variables!();
    expect([economy!.dataSync()[0], region!.dataSync()[0]]).toEqual([0, 0]);
    const losses = new Map([["economy", tf.scalar(2)], ["region", tf.scalar(0.3)]]);
    expect(technique.weighTasks!(losses, tasks).dataSync()[0]).toBeCloseTo(2 + 0.3, 6);
    economy!.assign(tf.scalar(0.5));
    region!.assign(tf.scalar(-1));
    // The fixed `weight: 0.5` of region is replaced, not multiplied in.
    expect(technique.weighTasks!(losses, tasks).dataSync()[0]).toBeCloseTo(Math.exp(-0.5) * 2 + 0.5 + Math.exp(1) * 0.3 - 1, 5);
  });

  it("∂/∂sᵢ = 1 − exp(−sᵢ)·Lᵢ: each sᵢ settles where exp(−sᵢ) = 1/Lᵢ", () => {
    const technique = attachedTo(uncertaintyWeighting());
    const [economy, region] = technique.variables!();
    economy!.assign(tf.scalar(0.5));
    const losses = new Map([["economy", tf.scalar(2)], ["region", tf.scalar(0.3)]]);
    const { grads } = tf.variableGrads(() => technique.weighTasks!(losses, tasks), technique.variables!());
    expect(grads[economy!.name]!.dataSync()[0]).toBeCloseTo(1 - Math.exp(-0.5) * 2, 5);
    expect(grads[region!.name]!.dataSync()[0]).toBeCloseTo(1 - 0.3, 5);
  });

  it("saves and restores its sᵢ for a resumed run", () => {
    const first = attachedTo(uncertaintyWeighting());
    first.variables!()[0]!.assign(tf.scalar(0.7));
    const resumed = attachedTo(uncertaintyWeighting());
    resumed.loadState!(first.saveState!());
    expect(resumed.variables!().map((s) => s.dataSync()[0])).toEqual([Math.fround(0.7), 0]);
  });

  it("learns the weights on the real cars data (example D) and reports them", async () => {
    await selectBackend("wasm");
    const cars = await carsData();
    const model = sharedTrunk();
    const { trainer, final } = await trainToEnd({ model, data: cars, tasks, techniques: [uncertaintyWeighting()], optimizer: adam({ lr: 3e-3 }), schedule: constant(), epochs: 30, batch: 32, seed: 1 });
    const learned = final.extra!["uncertainty_weighting"]!;
    const last = trainer.history[trainer.history.length - 1]!.train;
    // Both sᵢ moved from 0, each toward log Lᵢ: the classification loss (≈ 0.5) is far below the mpg error (a few mpg), so its weight is larger.
    expect(learned["economy_log_variance"]!).toBeGreaterThan(0.1);
    expect(learned["region_log_variance"]!).toBeLessThan(-0.1);
    expect(learned["region_weight"]!).toBeGreaterThan(learned["economy_weight"]!);
    expect(learned["economy_weight"]).toBeCloseTo(Math.exp(-learned["economy_log_variance"]!), 6);
    expect(last["economy_loss"]!).toBeGreaterThan(1);
    expect(last["region_loss"]!).toBeLessThan(1);
    // The tasks are learned: accuracy well above the chance (a third), mpg error far below the raw spread.
    expect(final.splits.val!["region_accuracy"]!).toBeGreaterThan(0.6);
    expect(final.splits.val!["economy_mae"]!).toBeLessThan(4);
    model.dispose();
  });

  it("a run resumed from an epoch's checkpoint ends with the same sᵢ and weights as the uninterrupted run", async () => {
    await selectBackend("wasm");
    const cars = await carsData();
    const plan = (model: Model) => ({ model, data: cars, tasks, techniques: [uncertaintyWeighting()], optimizer: adam({ lr: 3e-3 }), schedule: constant(), epochs: 3, batch: 32, seed: 1 });
    let afterFirst: Checkpoint | undefined;
    const services: RunServices = {
      ...quietServices(),
      saveCheckpoint: async (checkpoint) => {
        if (checkpoint.state.epoch === 1 && checkpoint.state.epochEnded) afterFirst = copyOf(checkpoint);
      },
    };
    const whole = new Trainer(plan(sharedTrunk()), services);
    for (let epoch = 1; epoch <= 3; epoch++) {
      await whole.trainEpoch(epoch);
      await whole.endEpoch(epoch);
    }
    const resumed = new Trainer(plan(sharedTrunk()), quietServices());
    await resumed.resume(afterFirst!);
    expect(resumed.firstEpoch).toBe(2);
    for (let epoch = resumed.firstEpoch; epoch <= 3; epoch++) {
      await resumed.trainEpoch(epoch);
      await resumed.endEpoch(epoch);
    }
    const [first, second] = [(await whole.finish()).extra, (await resumed.finish()).extra];
    expect(second).toEqual(first);
    for (const [name, variable] of whole.model.params) expect(resumed.model.params.get(name)!.dataSync()).toEqual(variable.dataSync());
  });
});

async function carsData(): Promise<Dataset> {
  return loadData({
    name: "cars",
    source: { kind: "json", path: "vega-datasets/data/cars.json", specFolder: process.cwd() },
    features: ["Horsepower", "Weight_in_lbs", "Displacement", "Acceleration", "Cylinders"],
    normalize: "standard",
    missing: "drop",
    targets: [
      { name: "mpg", kind: "number", column: "Miles_per_Gallon" },
      { name: "origin", kind: "class", classes: 3, column: "Origin" },
    ],
    split: { train: 0.6, val: 0.2, test: 0.2 },
    seed: 1,
  });
}

/** Example D's model. */
function sharedTrunk(): Model {
  return new Model(
    "shared",
    [5],
    [dense(64, { name: "t1", activation: "relu" }), dense(32, { name: "t2", activation: "relu" }), dense(1, { name: "mpg" }), dense(3, { name: "origin", from: "t2" })],
    1,
  );
}

/** A checkpoint as the run folder would keep it: values copied, not the live variables. */
function copyOf(checkpoint: Checkpoint): Checkpoint {
  return {
    params: new Map([...checkpoint.params].map(([name, tensor]) => [name, tf.clone(tensor)])),
    optimizer: checkpoint.optimizer.map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) })),
    state: structuredClone(checkpoint.state),
  };
}
