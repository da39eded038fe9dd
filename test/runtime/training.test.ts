import { quietServices, trainToEnd } from "../support/quiet-training.js";
import { loadDigits } from "../support/digits.js";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { withDefaults } from "../support/catalog-defaults.js";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { Model } from "../../src/runtime/model/model.js";
import { dense, dropout, flatten } from "../../src/runtime/model/layers/index.js";
import type { EpochRecord } from "../../src/runtime/run/history.js";
import { earlyStop } from "../../src/runtime/techniques/early-stop.js";
import { maxnorm } from "../../src/runtime/techniques/maxnorm.js";
import { adam, sgd } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { classify } from "../../src/runtime/train/tasks.js";
import type { Technique } from "../../src/runtime/train/technique.js";
import { Trainer, type TrainingPlan } from "../../src/runtime/train/trainer.js";

/** Real training on real digits through the loop the generated code drives, with the run's side effects stubbed. */

let digits: Dataset;

beforeAll(async () => {
  await selectBackend("wasm");
  digits = await loadDigits({ train: 300, val: 200 }, 3);
}, 60_000);


function mlp(seed: number): Model {
  return new Model("mlp", [28, 28, 1], [flatten(), dense(64, { name: "h1", activation: "relu" }), dropout(0.2), dense(10, { name: "out" })], seed);
}

async function train(plan: Omit<TrainingPlan, "data" | "tasks" | "schedule" | "seed"> & { seed?: number }): Promise<{ trainer: Trainer; history: readonly EpochRecord[] }> {
  const trainer = new Trainer({ data: digits, tasks: [classify("digit", { output: "out", target: "label" })], schedule: constant(), seed: 1, ...plan }, quietServices());
  for (let epoch = trainer.firstEpoch; epoch <= trainer.epochs; epoch++) {
    await trainer.trainEpoch(epoch);
    if (await trainer.endEpoch(epoch)) break;
  }
  await trainer.finish();
  return { trainer, history: trainer.history };
}

/** Largest L2 norm of a dense kernel's columns: each unit's incoming weights. */
function largestUnitNorm(kernel: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.sqrt(tf.sum(tf.square(kernel), 0))).dataSync()[0]!);
}

describe("the training loop", () => {
  it("learns: the loss falls and validation accuracy is far above chance", async () => {
    const { history } = await train({ model: mlp(1), techniques: [], optimizer: sgd({ lr: 0.05, momentum: 0.9 }), epochs: 4, batch: 32 });
    expect(history[3]!.train.loss!).toBeLessThan(history[0]!.train.loss! * 0.6);
    expect(history[3]!.val!.accuracy!).toBeGreaterThan(0.6);
  }, 60_000);

  it("gives the same loss curve for the same seed and backend", async () => {
    const run = () => train({ model: mlp(5), techniques: [], optimizer: sgd({ lr: 0.05, momentum: 0.9 }), epochs: 2, batch: 32, seed: 9 });
    const first = (await run()).history.map((r) => [r.train.loss, r.val!.loss]);
    const second = (await run()).history.map((r) => [r.train.loss, r.val!.loss]);
    expect(second).toEqual(first);
  }, 60_000);

  it("keeps max-norm after every single optimizer step", async () => {
    const c = 0.4;
    const model = mlp(2);
    const measured: number[] = [];
    const spy: Technique = {
      label: "spy",
      afterStep: (m) => measured.push(Math.max(largestUnitNorm(m.params.get("h1.kernel")!), largestUnitNorm(m.params.get("out.kernel")!))),
    };
    // The spy comes after the projection, as the loop runs after-step hooks in order.
    await train({ model, techniques: [maxnorm(c, { on: ["h1.kernel", "out.kernel"] }), spy], optimizer: sgd({ lr: 0.2, momentum: 0.9 }), epochs: 2, batch: 32 });
    expect(measured).toHaveLength(2 * Math.ceil(300 / 32));
    for (const norm of measured) expect(norm).toBeLessThanOrEqual(c * (1 + 1e-5));
    // The constraint binds: without it the norms grow well past c.
    const free: number[] = [];
    await train({ model: mlp(2), techniques: [{ label: "spy", afterStep: (m) => free.push(largestUnitNorm(m.params.get("h1.kernel")!)) }], optimizer: sgd({ lr: 0.2, momentum: 0.9 }), epochs: 1, batch: 32 });
    expect(Math.max(...free)).toBeGreaterThan(c * 1.5);
  }, 60_000);

  it("early stopping with restore_best returns the weights of the best validation epoch", async () => {
    const model = mlp(4);
    const snapshots: Array<Map<string, Float32Array>> = [];
    const recorder: Technique = {
      label: "recorder",
      epochEnd: (_record, m) => snapshots.push(new Map([...m.params].map(([name, v]) => [name, v.dataSync() as Float32Array]))),
    };
    // A high learning rate on 300 digits overfits quickly, so validation loss turns up and stopping triggers.
    const { history } = await train({ model, techniques: [recorder, earlyStop(withDefaults("early_stop", { monitor: "val_loss", patience: 2, restoreBest: true }))], optimizer: sgd({ lr: 0.3, momentum: 0.9 }), epochs: 12, batch: 16 });
    const losses = history.map((r) => r.val!.loss!);
    const best = losses.indexOf(Math.min(...losses));
    expect(best).toBeLessThan(history.length - 1);
    for (const [name, variable] of model.params) expect(variable.dataSync()).toEqual(snapshots[best]!.get(name));
    // Not merely the last epoch's weights.
    expect(model.params.get("h1.kernel")!.dataSync()).not.toEqual(snapshots[history.length - 1]!.get("h1.kernel"));
  }, 60_000);

  it("then: retrain_all trains fresh weights on train + val for the best number of epochs (algorithm 7.2), and progress counts that phase's epochs", async () => {
    const model = mlp(6);
    const rows: number[] = [];
    const counter: Technique = { label: "counter", transformBatch: (batch) => (rows.push(batch.x.shape[0]!), batch) };
    const shown: string[] = [];
    const progress = { ...quietServices().progress, epochStart: (epoch: number, epochs: number) => void shown.push(`${epoch}/${epochs}`), message: (text: string) => void shown.push(text) };
    const { trainer } = await trainToEnd(
      {
        data: digits,
        tasks: [classify("digit", { output: "out", target: "label" })],
        schedule: constant(),
        seed: 1,
        model,
        techniques: [counter, earlyStop(withDefaults("early_stop", { monitor: "val_loss", patience: 2, restoreBest: true, then: "retrain_all" }))],
        optimizer: sgd({ lr: 0.3, momentum: 0.9 }),
        epochs: 10,
        batch: 50,
      },
      { progress },
    );
    const history = trainer.history;
    const first = history.filter((r) => r.phase === "train");
    const second = history.filter((r) => r.phase === "retrain_all");
    const losses = first.map((r) => r.val!.loss!);
    expect(second).toHaveLength(losses.indexOf(Math.min(...losses)) + 1);
    const retraining = shown.indexOf(`retraining from scratch on train + val for ${second.length} epochs (then: retrain_all)`);
    const counts = (lines: string[]) => lines.filter((line) => /^\d+\/\d+$/.test(line));
    expect(counts(shown.slice(0, retraining))).toEqual(first.map((r) => `${r.epoch}/10`));
    expect(counts(shown.slice(retraining + 1))).toEqual(second.map((r) => `${r.epoch}/${second.length}`));
    // Each second-phase epoch sees train + val: 300 + 200 rows.
    const secondPhaseRows = rows.slice(rows.length - second.length * 10);
    expect(secondPhaseRows.reduce((a, b) => a + b, 0)).toBe(second.length * 500);
    // Fresh weights: the first retraining epoch's loss is back near an untrained model's, not the best epoch's.
    expect(second[0]!.train.loss!).toBeGreaterThan(first[first.length - 1]!.train.loss!);
  }, 60_000);

  it("then: continue_all keeps the best weights and trains on train + val until val loss reaches the training loss (algorithm 7.3)", async () => {
    const { history } = await train({
      model: mlp(7),
      techniques: [earlyStop(withDefaults("early_stop", { monitor: "val_loss", patience: 2, restoreBest: true, then: "continue_all" }))],
      optimizer: sgd({ lr: 0.1, momentum: 0.9 }),
      epochs: 10,
      batch: 50,
    });
    const second = history.filter((r) => r.phase === "continue_all");
    expect(second.length).toBeGreaterThan(0);
    const first = history.filter((r) => r.phase === "train");
    expect(second.length).toBeLessThanOrEqual(first.length);
    // Every second-phase epoch is validated; it stops at the first whose val loss is low enough, or at the cap.
    for (const record of second) expect(record.val).toBeDefined();
  }, 60_000);

  it("leaks no tensors from one epoch to the next, checkpoints included", async () => {
    const model = mlp(8);
    const counts: number[] = [];
    const trainer = new Trainer(
      { model, data: digits, tasks: [classify("digit", { output: "out", target: "label" })], schedule: constant(), seed: 1, techniques: [], optimizer: adam({ lr: 1e-3 }), epochs: 4, batch: 64 },
      quietServices(),
    );
    for (let epoch = 1; epoch <= 4; epoch++) {
      await trainer.trainEpoch(epoch);
      await trainer.endEpoch(epoch);
      counts.push(tf.memory().numTensors);
    }
    expect(counts[3]).toBe(counts[1]);
  }, 60_000);
});
