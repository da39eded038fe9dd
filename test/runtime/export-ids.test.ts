import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { predictionPlan } from "../../src/runtime/export/prediction-plan.js";
import { saveModelFolder } from "../../src/runtime/export/save-model.js";
import { dense, embedding, flatten } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { regress } from "../../src/runtime/train/tasks.js";
import { loadPredictor } from "../../src/predict/node/index.js";
import { InputError } from "../../src/predict/input-error.js";

/** A model whose input is ids of an embedding, exported: prediction holds raw rows to the ids the table has, as training does. */

const data = {
  name: "d",
  kind: "table",
  inputShape: [2],
  targets: { y: { kind: "number" } },
  splits: {},
  preprocessing: { kind: "table", shape: [2], features: ["first", "second"], missing: "refuse" },
} as unknown as Dataset;
const folder = mkdtempSync(join(tmpdir(), "reglang-export-ids-"));

beforeAll(async () => {
  await selectBackend("cpu");
  const model = new Model("m", [2], [embedding(4, 3, { name: "e" }), flatten(), dense(1, { name: "out" })], 1);
  const saved = await saveModelFolder(folder, [model], () => predictionPlan(model, []), { spec: "ids.reg", data, tasks: [regress("fit", { output: "out", target: "y" })] });
  expect(saved).toEqual({ standard: true });
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("an exported model of embedding ids", () => {
  it("predicts rows whose ids the table holds", async () => {
    const predictor = await loadPredictor(folder);
    expect(predictor.predictRows([{ first: 0, second: 3 }, { first: 2, second: 1 }])).toHaveLength(2);
  });

  it.each([
    ["past the table", { first: 1, second: 4 }, "row 1, column `second`: 4 is not an id the model can look up; its embedding reads whole numbers from 0 to 3"],
    ["negative", { first: -1, second: 0 }, "row 1, column `first`: -1 is not an id"],
    ["a fraction", { first: 2.5, second: 0 }, "row 1, column `first`: 2.5 is not an id"],
  ])("refuses an id %s, naming the row and column", async (_, row, message) => {
    const predictor = await loadPredictor(folder);
    expect(() => predictor.predictRows([row])).toThrow(InputError);
    expect(() => predictor.predictRows([row])).toThrow(message);
  });
});
