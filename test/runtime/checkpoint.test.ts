import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from "../../src/runtime/run/checkpoint.js";

beforeAll(async () => {
  await selectBackend("cpu");
});

const temporaryFolder = () => mkdtempSync(join(tmpdir(), "reglang-checkpoint-"));

let made = 0;

/** A checkpoint as the loop makes one: parameters and a real Adam's state after `steps` steps. */
async function trainedCheckpoint(steps: number, epoch: number): Promise<Checkpoint> {
  // tfjs variable names are global and unique.
  const id = made++;
  const kernel = tf.variable(tf.tensor2d([[1, -2], [3, 0.5]]), true, `kernel_${id}`);
  const bias = tf.variable(tf.tensor1d([0.1, -0.1]), true, `bias_${id}`);
  const optimizer = tf.train.adam(0.01);
  for (let step = 0; step < steps; step++) {
    optimizer.minimize(() => tf.sum(tf.square(tf.add(tf.matMul(tf.ones([1, 2]), kernel), bias))));
  }
  return {
    params: new Map<string, tf.Tensor>([["kernel", kernel], ["bias", bias]]),
    optimizer: await optimizer.getWeights(),
    state: { epoch, best: { epoch: 1, val_loss: 0.25 } },
  };
}

async function valuesOf(checkpoint: Checkpoint) {
  const values = async (tensor: tf.Tensor) => Array.from(await tensor.data());
  return {
    params: await Promise.all([...checkpoint.params].map(async ([name, tensor]) => [name, await values(tensor)])),
    optimizer: await Promise.all(checkpoint.optimizer.map(async ({ name, tensor }) => [name, await values(tensor)])),
    state: checkpoint.state,
  };
}

describe("checkpoints", () => {
  it("is absent until one is saved", async () => {
    expect(await loadCheckpoint(temporaryFolder())).toBeUndefined();
  });

  it("restores parameters, optimizer weights in order (what setWeights needs), and state", async () => {
    const run = temporaryFolder();
    const saved = await trainedCheckpoint(3, 7);
    await saveCheckpoint(run, saved);
    const loaded = (await loadCheckpoint(run))!;
    expect(await valuesOf(loaded)).toEqual(await valuesOf(saved));
    const names = saved.optimizer.map(({ name }) => name);
    expect(names).toEqual(["iter", ...["m", "v"].flatMap((slot) => [`kernel_${made - 1}/${slot}`, `bias_${made - 1}/${slot}`])]);
    expect(loaded.optimizer.map(({ name }) => name)).toEqual(names);

    const resumed = tf.train.adam(0.01);
    await resumed.setWeights(loaded.optimizer);
    expect(resumed.iterations).toBe(3);
  });

  it("keeps the newest generation and the one before it, to fall back to", async () => {
    const run = temporaryFolder();
    await saveCheckpoint(run, await trainedCheckpoint(1, 1));
    await saveCheckpoint(run, await trainedCheckpoint(2, 2));
    await saveCheckpoint(run, await trainedCheckpoint(3, 3));
    expect(readdirSync(join(run, "checkpoint")).sort()).toEqual(["2", "3", "latest.json"]);
    expect((await loadCheckpoint(run))!.state).toEqual({ epoch: 3, best: { epoch: 1, val_loss: 0.25 } });
  });

  it("gives the previous complete checkpoint after a crash part-way through writing the next", async () => {
    const run = temporaryFolder();
    const first = await trainedCheckpoint(1, 1);
    await saveCheckpoint(run, first);
    // The crash: generation 2 half on disk, the pointer not yet moved.
    mkdirSync(join(run, "checkpoint", "2", "params"), { recursive: true });
    writeFileSync(join(run, "checkpoint", "2", "params", "weights.bin"), new Uint8Array([1, 2, 3]));
    expect(await valuesOf((await loadCheckpoint(run))!)).toEqual(await valuesOf(first));

    // The next save replaces the wreck and completes.
    const second = await trainedCheckpoint(2, 2);
    await saveCheckpoint(run, second);
    expect(await valuesOf((await loadCheckpoint(run))!)).toEqual(await valuesOf(second));
  });

  it("gives the previous complete checkpoint when saving fails after writing some files", async () => {
    const run = temporaryFolder();
    const first = await trainedCheckpoint(1, 1);
    await saveCheckpoint(run, first);
    const broken = await trainedCheckpoint(2, 2);
    broken.optimizer[1]!.tensor.dispose(); // params are written, then reading the optimizer fails
    await expect(saveCheckpoint(run, broken)).rejects.toThrow();
    expect(readdirSync(join(run, "checkpoint", "2"))).toEqual(["params"]);
    expect(await valuesOf((await loadCheckpoint(run))!)).toEqual(await valuesOf(first));
  });
});
