import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { historyCsv } from "../../src/runtime/run/history-csv.js";
import { ConfusionCounts, perClassScores } from "../../src/runtime/train/classification.js";
import { evaluateSplit } from "../../src/runtime/train/evaluate.js";
import { classify, regress } from "../../src/runtime/train/tasks.js";

describe("ConfusionCounts", () => {
  it("counts each true class's predictions while the split is evaluated, and scores every class by hand", async () => {
    await tf.setBackend("cpu");
    // Five examples of 3 classes; the "model" predicts the class whose score row is given.
    const truth = [0, 0, 1, 2, 2];
    const scores = tf.tensor2d([
      [5, 0, 0],
      [0, 5, 0],
      [0, 5, 0],
      [0, 0, 5],
      [5, 0, 0],
    ]);
    const data: Dataset = {
      name: "toy",
      kind: "table",
      inputShape: [3],
      inputRange: [-10, 10],
      targets: { label: { kind: "class", classes: 3, classNames: ["a", "b", "c"] }, y: { kind: "number" } },
      splits: { test: { name: "test", rows: 5, x: scores, targets: { label: tf.tensor1d(truth, "int32"), y: tf.zeros([5, 1]) } } },
      preprocessing: { kind: "table", shape: [3], features: ["a", "b", "c"], missing: "refuse" },
    };
    const predict = (x: tf.Tensor) => new Map([["out", x]]);
    const tasks = [classify("kind", { output: "out", target: "label" }), regress("size", { output: "out", target: "y" })];
    const confusion = new ConfusionCounts(data, "test");
    const metrics = evaluateSplit(predict, data, data.splits["test"]!, tasks, confusion);
    expect(metrics["kind_accuracy"]).toBeCloseTo(3 / 5, 10);
    const results = confusion.results(tasks);
    expect(Object.keys(results)).toEqual(["kind"]);
    expect(results["kind"]).toEqual({
      split: "test",
      labels: ["a", "b", "c"],
      confusion: [
        [1, 1, 0],
        [0, 1, 0],
        [1, 0, 1],
      ],
      perClass: [
        // a: predicted twice, right once; 2 true a's, 1 found.
        { label: "a", precision: 0.5, recall: 0.5, f1: 0.5, support: 2 },
        { label: "b", precision: 0.5, recall: 1, f1: 2 / 3, support: 1 },
        { label: "c", precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
      ],
    });
  });

  it("scores a class never predicted and never present as 0, not NaN", () => {
    expect(perClassScores([[2, 0], [1, 0]], ["x", "y"])[1]).toEqual({ label: "y", precision: 0, recall: 0, f1: 0, support: 1 });
  });
});

describe("historyCsv", () => {
  it("writes one row per epoch, val columns after train ones, quoting where needed", () => {
    const csv = historyCsv({
      spec: "s.reg",
      backend: "cpu",
      seed: 0,
      epochs: [
        { epoch: 1, phase: "train", learningRate: 0.1, seconds: 1.5, train: { loss: 2, "a,b": 1 }, val: { loss: 3 } },
        { epoch: 1, phase: "retrain_all", learningRate: 0.05, seconds: 1, train: { loss: Number.NaN, "a,b": 0.5 } },
      ],
    });
    expect(csv).toBe('phase,epoch,learning_rate,seconds,loss,"a,b",val_loss\ntrain,1,0.1,1.5,2,1,3\nretrain_all,1,0.05,1,NaN,0.5,\n');
  });

  it("gives bagging members' epochs a member column", () => {
    const csv = historyCsv({
      spec: "s.reg",
      backend: "cpu",
      seed: 0,
      epochs: [],
      members: [
        { name: "member-1", seed: 1, epochs: [{ epoch: 1, phase: "train", learningRate: 0.1, seconds: 1, train: { loss: 1 } }] },
        { name: "member-2", seed: 2, epochs: [{ epoch: 1, phase: "train", learningRate: 0.1, seconds: 1, train: { loss: 2 } }] },
      ],
    });
    expect(csv.split("\n")).toEqual(["member,phase,epoch,learning_rate,seconds,loss", "member-1,train,1,0.1,1,1", "member-2,train,1,0.1,1,2", ""]);
  });
});
