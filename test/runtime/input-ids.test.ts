import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { DataError, type Dataset } from "../../src/runtime/data/dataset.js";
import { dense, embedding, flatten } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { checkInputIds } from "../../src/runtime/train/input-ids.js";

/** Two features per example; the test split's values as given. */
function dataset(test: number[]): Dataset {
  const split = (name: string, values: number[]) => ({ name, rows: values.length / 2, x: tf.tensor2d(values, [values.length / 2, 2]), targets: {} });
  return {
    name: "t",
    kind: "table",
    inputShape: [2],
    splits: { train: split("train", [0, 1, 2, 3]), test: split("test", test) },
    preprocessing: { kind: "table", shape: [2], features: ["first", "second"], missing: "refuse" },
  } as unknown as Dataset;
}

describe("the ids an embedding of the input looks up", () => {
  const model = new Model("m", [2], [embedding(4, 3, { name: "e" }), flatten(), dense(1, { name: "out" })], 1);

  it("pass when every split holds whole numbers within the table", () => {
    expect(() => checkInputIds(model, dataset([3, 0, 1, 2]))).not.toThrow();
  });

  it("stop training with a DataError naming the split, example and feature otherwise", () => {
    const beyond = () => checkInputIds(model, dataset([3, 0, 1, 4]));
    expect(beyond).toThrow(DataError);
    expect(beyond).toThrow("split `test`, example 2, feature `second`: 4 is not an id of `e`, whose table has rows 0…3");
    expect(() => checkInputIds(model, dataset([0.5, 0]))).toThrow("split `test`, example 1, feature `first`: 0.5 is not an id of `e`");
    expect(() => checkInputIds(model, dataset([-1, 0]))).toThrow("-1 is not an id");
  });

  it("leave an embedding that reads another layer be", () => {
    const later = new Model("n", [2], [dense(2, { name: "h" }), embedding(4, 3, { name: "e" }), flatten(), dense(1, { name: "out" })], 1);
    expect(() => checkInputIds(later, dataset([7.5, -3]))).not.toThrow();
  });
});
