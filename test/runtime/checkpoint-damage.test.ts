import { mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { loadCheckpoint, saveCheckpoint } from "../../src/runtime/run/checkpoint.js";
import { RunFolderError } from "../../src/runtime/run/run-folder-error.js";
import { trainerStateProblem } from "../../src/runtime/train/trainer-state.js";
import type { TrainerState } from "../../src/runtime/train/trainer.js";

/** `--resume` on hand-damaged checkpoints: every damaged file is named, and the generation before it takes over. */

beforeAll(async () => {
  await selectBackend("cpu");
});

function stateAfter(epoch: number): TrainerState {
  const history = Array.from({ length: epoch }, (_, i) => ({ epoch: i + 1, phase: "train", learningRate: 0.1, seconds: 0.01, train: { loss: 1 / (i + 1) } }));
  return { phase: "train", epoch, stepsDone: 3, epochEnded: true, sums: [["mae", 1.5]], objectiveSum: 2, examples: 6, seconds: 0.01, history, techniques: [] };
}

/** A run folder holding checkpoints after epochs 1 … `generations`, each with an Adam's state. */
async function runWithCheckpoints(generations: number): Promise<string> {
  const run = mkdtempSync(join(tmpdir(), "reglang-damage-"));
  const kernel = tf.variable(tf.tensor2d([[1, -2], [3, 0.5]]));
  const optimizer = tf.train.adam(0.01);
  for (let epoch = 1; epoch <= generations; epoch++) {
    optimizer.minimize(() => tf.sum(tf.square(tf.matMul(tf.ones([1, 2]), kernel))));
    await saveCheckpoint(run, { params: new Map([["kernel", kernel]]), optimizer: await optimizer.getWeights(), state: stateAfter(epoch) });
  }
  return run;
}

const edit = (path: string, change: (text: string) => string) => writeFileSync(path, change(readFileSync(path, "utf8")));

/** Each kind of damage, applied to generation `g` of a run's checkpoint folder; `names` is what the message must point at. */
const DAMAGE: Array<{ what: string; names: string; damage: (root: string, g: number) => void }> = [
  { what: "latest.json is not JSON", names: "latest.json", damage: (root) => writeFileSync(join(root, "latest.json"), "{gener") },
  { what: "latest.json is {}", names: "latest.json", damage: (root) => writeFileSync(join(root, "latest.json"), "{}") },
  { what: "latest.json points out of the run folder", names: "latest.json", damage: (root) => writeFileSync(join(root, "latest.json"), '{"generation":"../../../../../etc"}') },
  { what: "params/weights.bin is truncated", names: "params/weights.bin", damage: (root, g) => truncateSync(join(root, String(g), "params", "weights.bin"), 5) },
  {
    what: "params/weights.bin has a flipped byte",
    names: "params/weights.bin",
    damage: (root, g) => {
      const path = join(root, String(g), "params", "weights.bin");
      const bytes = readFileSync(path);
      bytes[2] = bytes[2]! ^ 0xff;
      writeFileSync(path, bytes);
    },
  },
  { what: "params/model.json is not JSON", names: "params/model.json", damage: (root, g) => writeFileSync(join(root, String(g), "params", "model.json"), "not json") },
  { what: "params/model.json describes another shape", names: "params/weights.bin", damage: (root, g) => edit(join(root, String(g), "params", "model.json"), (t) => t.replace("[2,2]", "[3,2]")) },
  { what: "params/model.json reads a file outside", names: "params/model.json", damage: (root, g) => edit(join(root, String(g), "params", "model.json"), (t) => t.replace('"weights.bin"', '"../../../../etc/passwd"')) },
  { what: "optimizer/ is missing", names: "optimizer", damage: (root, g) => rmSync(join(root, String(g), "optimizer"), { recursive: true }) },
  { what: "optimizer/weights.bin is empty", names: "optimizer/weights.bin", damage: (root, g) => truncateSync(join(root, String(g), "optimizer", "weights.bin"), 0) },
  { what: "state.json is {}", names: "state.json", damage: (root, g) => writeFileSync(join(root, String(g), "state.json"), "{}") },
  { what: "state.json says another epoch", names: "state.json", damage: (root, g) => edit(join(root, String(g), "state.json"), (t) => t.replace('"stepsDone":3', '"stepsDone":2')) },
  { what: "sha256.json is missing", names: "sha256.json", damage: (root, g) => rmSync(join(root, String(g), "sha256.json")) },
  {
    what: "weights.bin is a link to a file outside",
    names: "params/weights.bin",
    damage: (root, g) => {
      const path = join(root, String(g), "params", "weights.bin");
      rmSync(path);
      symlinkSync("/etc/passwd", path);
    },
  },
];

describe("a damaged checkpoint", () => {
  for (const { what, names, damage } of DAMAGE) {
    it(`${what}: named, and the previous intact generation is loaded`, async () => {
      const run = await runWithCheckpoints(3);
      damage(join(run, "checkpoint"), 3);
      const loaded = (await loadCheckpoint(run, trainerStateProblem))!;
      // A damaged pointer leaves every generation intact: the newest is loaded.
      const expected = names === "latest.json" ? 3 : 2;
      expect(loaded.generation).toBe(expected);
      expect((loaded.state as TrainerState).epoch).toBe(expected);
      expect(loaded.skipped.join("\n")).toContain(names);
      // The pointer names the generation loaded, so the next save continues from it.
      expect(JSON.parse(readFileSync(join(run, "checkpoint", "latest.json"), "utf8"))).toEqual({ generation: expected });
    });
  }

  for (const { what, names, damage } of DAMAGE.filter((d) => d.names !== "latest.json")) {
    it(`${what}, with no generation before it: a RunFolderError naming the file`, async () => {
      const run = await runWithCheckpoints(1);
      damage(join(run, "checkpoint"), 1);
      const error = await loadCheckpoint(run, trainerStateProblem).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RunFolderError);
      expect((error as Error).message).toContain(join(run, "checkpoint", "1", names));
    });
  }

  it("a pointer to a generation that is not there falls back to the newest one that is", async () => {
    const run = await runWithCheckpoints(2);
    writeFileSync(join(run, "checkpoint", "latest.json"), '{"generation": 7}');
    const loaded = (await loadCheckpoint(run, trainerStateProblem))!;
    expect(loaded.generation).toBe(2);
    expect(loaded.skipped.join("\n")).toContain(join(run, "checkpoint", "7"));
  });

  it("says why state.json is no training state", () => {
    expect(trainerStateProblem({})).toBe("`phase` is missing");
    expect(trainerStateProblem({ ...stateAfter(2), epoch: -1 })).toBe("`epoch` should be a whole number ≥ 0");
    expect(trainerStateProblem({ ...stateAfter(2), epoch: 5 })).toBe("`epoch` is 5 but the history ends at epoch 2");
    expect(trainerStateProblem(stateAfter(2))).toBeUndefined();
  });
});
