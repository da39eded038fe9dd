import { cpSync, existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { InputError, loadPredictor } from "../../src/predict/node/index.js";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { predictionPlan } from "../../src/runtime/export/prediction-plan.js";
import { saveModelFolder } from "../../src/runtime/export/save-model.js";
import { dense } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { regress } from "../../src/runtime/train/tasks.js";
import { ROOT, startRegc } from "./support.js";

/**
 * A model folder whose weights.bin is gone, cut short or a Git LFS pointer:
 * `regc predict`, `regc export` and `reglang/predict` name the file and what
 * is wrong with it (exit 2), where tfjs would throw from deep inside.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-damaged-weights-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** dense(4) over 2 columns, then dense(1): (2·4 + 4) + (4 + 1) float32 values. */
const WEIGHT_BYTES = 17 * 4;

beforeAll(async () => {
  await selectBackend("cpu");
  const data = { name: "d", kind: "table", inputShape: [2], targets: {}, splits: {}, preprocessing: { kind: "table", shape: [2], features: ["a", "b"], missing: "refuse" } } as unknown as Dataset;
  const model = new Model("m", [2], [dense(4, { name: "h" }), dense(1, { name: "out" })], 1);
  await saveModelFolder(join(scratch, "intact"), [model], () => predictionPlan(model, []), { spec: "s.reg", data, tasks: [regress("fit", { output: "out", target: "y" })] });
  writeFileSync(join(scratch, "rows.csv"), "a,b\n1,2\n");
  const damaged = (name: string, damage: (weights: string) => void) => {
    cpSync(join(scratch, "intact", "model"), join(scratch, name), { recursive: true });
    damage(join(scratch, name, "weights.bin"));
  };
  damaged("missing", (weights) => rmSync(weights));
  damaged("short", (weights) => truncateSync(weights, 40));
  damaged("long", (weights) => writeFileSync(weights, Buffer.alloc(WEIGHT_BYTES + 4)));
  damaged("lfs", (weights) => writeFileSync(weights, "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2146\nsize 68\n"));
});

const CASES = [
  ["missing", "cannot read missing/weights.bin: no such file or folder"],
  ["short", `short/weights.bin holds 40 bytes, model.json's weights manifest lists ${WEIGHT_BYTES}: the weights are cut short or belong to another model`],
  ["long", `long/weights.bin holds ${WEIGHT_BYTES + 4} bytes, model.json's weights manifest lists ${WEIGHT_BYTES}`],
  ["lfs", "lfs/weights.bin is a Git LFS pointer, not the weights: fetch the file itself (`git lfs pull`)"],
] as const;

it.each(CASES)("regc predict and regc export on weights %s exit 2 naming the file", async (folder, message) => {
  const predicted = await startRegc(["predict", folder, "rows.csv", "--backend", "cpu"], scratch);
  expect(predicted.code, predicted.stderr).toBe(2);
  expect(predicted.stderr).toContain(`regc: error: ${message}`);
  expect(predicted.stderr).not.toMatch(/^\s+at /m);
  const exported = await startRegc(["export", folder, "-o", `${folder}-export`], scratch);
  expect(exported.code, exported.stderr).toBe(2);
  expect(exported.stderr).toContain(`regc: error: ${message}`);
  expect(existsSync(join(scratch, `${folder}-export`))).toBe(false);
});

it.each(CASES)("reglang/predict in Node refuses weights %s with an InputError naming the file", async (folder, message) => {
  const loading = loadPredictor(join(scratch, folder));
  await expect(loading).rejects.toThrow(InputError);
  await expect(loading).rejects.toThrow(message.replace(`${folder}/`, `${join(scratch, folder)}/`));
});

it("the intact folder predicts", async () => {
  const predicted = await startRegc(["predict", "intact", "rows.csv", "--backend", "cpu"], scratch);
  expect(predicted.code, predicted.stderr).toBe(0);
  expect(predicted.stdout).toMatch(/^row 2: fit = -?\d/);
});
