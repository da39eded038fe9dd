import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { loadCheckpoint } from "../../src/runtime/run/checkpoint.js";
import type { FinalMetrics, History } from "../../src/runtime/run/history.js";
import { trainerStateProblem } from "../../src/runtime/train/trainer-state.js";
import { digitsData } from "../support/digits-spec.js";
import { regressionCsv, regressionSpec } from "../support/regression-spec.js";
import { onlyRunFolder, readJson, ROOT, startRegc, type Finished } from "./support.js";

/**
 * Data-parallel training: `regc run --threads 2 --replicas 2` trains with
 * two replicas, each a thread with its own wasm backend and half of every
 * batch, on real MNIST digits.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-data-parallel-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => selectBackend("cpu"));

function digits(train: number, { val = 128, test = 128 } = {}): string {
  return digitsData({ train, val, test });
}

// Example A's kind: an MLP with dropout (each replica draws its own masks) and max-norm after each step.
writeFileSync(
  join(scratch, "mlp.reg"),
  `${digits(320)}
model mlp(digits.input) {
  flatten()
  h   = dense(64, activation: relu)
  dropout(0.3)
  out = dense(10)
}

task digit = classify(mlp.out, digits.label)

train {
  optimizer sgd(lr: 0.05, momentum: 0.9)
  epochs    3
  batch     32
}

regularize mlp {
  maxnorm(3) on h.kernel
}
`,
);

// Nothing random in a step and a plain SGD update: weights after a step are the starting weights minus lr × the batch's gradient,
// L2's 2α·w among it (added once, by the update, after the replicas' gradients are summed).
// Batches of 33 split 16 + 17 between two replicas, so their shares differ.
writeFileSync(
  join(scratch, "plain.reg"),
  `${digits(99, { val: 32, test: 32 })}
model mlp(digits.input) {
  flatten()
  h   = dense(32, activation: relu)
  out = dense(10)
}

task digit = classify(mlp.out, digits.label)

train {
  optimizer sgd(lr: 0.1)
  epochs    1
  batch     33
}

regularize mlp {
  l2(0.01) on *.kernel
}
`,
);

// Example B's kind: a conv net, with batch norm (moving statistics the replicas must agree on), FGSM and early stopping.
writeFileSync(
  join(scratch, "convnet.reg"),
  `${digits(256)}
model cnn(digits.input) {
  c1  = conv2d(8, kernel: 3, activation: none)
  batch_norm()
  activation(relu)
  maxpool(2)
  flatten()
  out = dense(10)
}

task digit = classify(cnn.out, digits.label)

train {
  optimizer adam(lr: 3e-3)
  epochs    3
  batch     64
}

regularize cnn {
  fgsm(eps: 0.1, weight: 0.5)
  early_stop(monitor: val_loss, patience: 2, restore_best: true)
}
`,
);

// A regression on CSV rows (test/support/regression-spec.ts).
const TABLE = regressionCsv(100);
writeFileSync(join(scratch, "rows.csv"), TABLE);
writeFileSync(join(scratch, "table.reg"), regressionSpec("rows.csv", { batch: 16 }));

const TWO_REPLICAS = ["--threads", "2", "--replicas", "2"];

interface Trained {
  folder: string;
  history: History;
  metrics: FinalMetrics;
  stderr: string;
}

async function train(spec: string, name: string, flags: string[]): Promise<Trained> {
  const runs = join(scratch, name);
  const run = await startRegc(["run", spec, "--backend", "wasm", ...flags, "--runs", runs], scratch);
  expect(run.code, run.stderr).toBe(0);
  const folder = onlyRunFolder(runs);
  return { folder, history: readJson<History>(join(folder, "history.json")), metrics: readJson<FinalMetrics>(join(folder, "metrics.json")), stderr: run.stderr };
}

/** Each epoch's numbers, without the seconds it took. */
const curve = (history: History) => history.epochs.map(({ seconds: _seconds, ...numbers }) => numbers);

async function checkpointWeights(folder: string): Promise<Map<string, Float32Array>> {
  const checkpoint = await loadCheckpoint(folder, trainerStateProblem);
  const weights = new Map([...checkpoint!.params].map(([name, tensor]) => [name, tensor.dataSync() as Float32Array]));
  tf.dispose([...checkpoint!.params.values()]);
  return weights;
}

describe("two replicas", () => {
  let first: Trained;

  it("train an MLP with dropout above chance on MNIST, and the same numbers again in a second run", async () => {
    first = await train("mlp.reg", "mlp-1", TWO_REPLICAS);
    expect(first.stderr).toContain("wasm backend (2 replicas × 1 thread)");
    expect(first.history.replicas).toBe(2);
    const losses = first.history.epochs.map((epoch) => epoch.train.loss!);
    expect(losses[2]!).toBeLessThan(losses[0]!);
    expect(first.metrics.splits["test"]!["accuracy"]!).toBeGreaterThan(0.5);
    const again = await train("mlp.reg", "mlp-2", TWO_REPLICAS);
    expect(curve(again.history)).toEqual(curve(first.history));
    expect(again.metrics.splits).toEqual(first.metrics.splits);
  }, 120_000);

  it("are not started off wasm, and the run says so rather than train on one without a word", async () => {
    const run = await startRegc(["run", "plain.reg", "--backend", "cpu", "--replicas", "2", "--epochs", "1", "--runs", join(scratch, "cpu-replicas")], scratch);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("--replicas 2 needs the wasm backend: this run trains on the cpu backend without replicas");
    expect(readJson<History>(join(onlyRunFolder(join(scratch, "cpu-replicas")), "history.json")).replicas).toBeUndefined();
  }, 60_000);

  it("take the step one replica takes: the weights after three steps of SGD match (shares of 16 and 17 rows)", async () => {
    const alone = await train("plain.reg", "plain-1", ["--threads", "1"]);
    const replicated = await train("plain.reg", "plain-2", TWO_REPLICAS);
    const one = await checkpointWeights(alone.folder);
    const two = await checkpointWeights(replicated.folder);
    expect([...two.keys()].sort()).toEqual([...one.keys()].sort());
    for (const [name, values] of one) {
      const other = two.get(name)!;
      let largest = 0;
      for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]! - other[i]!));
      expect(largest, name).toBeLessThan(2e-6);
    }
    expect(replicated.history.epochs[0]!.train.loss).toBeCloseTo(alone.history.epochs[0]!.train.loss!, 5);
    expect(alone.history.replicas).toBeUndefined();
  }, 120_000);

  it("train a conv net with batch norm, FGSM and early stopping: above chance, moving statistics moved, same numbers again", async () => {
    const run = await train("convnet.reg", "convnet-1", TWO_REPLICAS);
    const losses = run.history.epochs.map((epoch) => epoch.train.loss!);
    expect(Math.min(...losses.slice(1))).toBeLessThan(losses[0]!);
    expect(run.metrics.splits["test"]!["accuracy"]!).toBeGreaterThan(0.5);
    const weights = await checkpointWeights(run.folder);
    const movingMean = [...weights].find(([name]) => name.endsWith("moving_mean"))![1];
    expect(movingMean.some((value) => Math.abs(value) > 1e-3)).toBe(true);
    const again = await train("convnet.reg", "convnet-2", TWO_REPLICAS);
    expect(curve(again.history)).toEqual(curve(run.history));
    const againMean = [...(await checkpointWeights(again.folder))].find(([name]) => name.endsWith("moving_mean"))![1];
    expect([...againMean]).toEqual([...movingMean]);
  }, 120_000);

  it("resume a run where it stopped, as if it had not: two epochs and one more give the three-epoch run's numbers", async () => {
    const shorter = await train("mlp.reg", "mlp-resumed", [...TWO_REPLICAS, "--epochs", "2"]);
    // Without --replicas: a resumed run keeps the count it started with.
    const resumed = await startRegc(["run", "--resume", shorter.folder, "--threads", "2", "--epochs", "3"], scratch);
    expect(resumed.stderr).toContain("2 replicas × 1 thread");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(curve(readJson<History>(join(shorter.folder, "history.json")))).toEqual(curve(first.history));
  }, 120_000);

  it("resume on the run's own rows, every replica, when the program's place now holds another file of the data's name", async () => {
    const whole = await train("table.reg", "table-whole", [...TWO_REPLICAS, "--epochs", "3"]);
    const shorter = await train("table.reg", "table-resumed", [...TWO_REPLICAS, "--epochs", "2"]);
    // The run's data now lies only where run.json says the run started; beside the program, a copy with other targets.
    const started = join(scratch, "table-started");
    mkdirSync(started);
    writeFileSync(join(started, "rows.csv"), TABLE);
    const record = readJson<Record<string, unknown>>(join(shorter.folder, "run.json"));
    writeFileSync(join(shorter.folder, "run.json"), JSON.stringify({ ...record, specFolder: started }));
    writeFileSync(join(scratch, "rows.csv"), regressionCsv(100, (a, b) => 3 * a + b));
    try {
      const resumed = await startRegc(["run", "--resume", shorter.folder, "--epochs", "3"], scratch);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain("2 replicas × 1 thread");
      expect(curve(readJson<History>(join(shorter.folder, "history.json")))).toEqual(curve(whole.history));
    } finally {
      writeFileSync(join(scratch, "rows.csv"), TABLE);
    }
  }, 120_000);

  it("stop on Ctrl-C after the step, with a checkpoint to resume and no error from a replica", async () => {
    const runs = join(scratch, "interrupted");
    const stopped = await new Promise<Finished>((resolve, reject) => {
      const child = spawn(process.execPath, [join(ROOT, "bin", "regc.js"), "run", "mlp.reg", ...TWO_REPLICAS, "--epochs", "100000", "--runs", runs], {
        cwd: scratch,
        detached: true,
        env: { ...process.env, NO_COLOR: "1", CI: "1" },
      });
      let stderr = "";
      let signalled = false;
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
        if (!signalled && stderr.includes("epoch 2/100000")) {
          signalled = true;
          // The whole process group, as a terminal's Ctrl-C.
          process.kill(-child.pid!, "SIGINT");
        }
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout: "", stderr }));
    });
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/interrupted after epoch \d+, step \d+; checkpoint and history saved/);
    expect(stopped.stderr).not.toMatch(/training replica|error/i);
    const folder = onlyRunFolder(runs);
    const done = readJson<History>(join(folder, "history.json")).epochs.length;
    const resumed = await startRegc(["run", "--resume", folder, "--epochs", String(done + 1)], scratch);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readJson<History>(join(folder, "history.json")).epochs).toHaveLength(done + 1);
  }, 120_000);
});
