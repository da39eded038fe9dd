import { cpSync, existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { InputError, loadPredictor } from "../../src/predict/node/index.js";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { saveTableModel, TABLE_MODEL_WEIGHT_BYTES as WEIGHT_BYTES } from "./export-support.js";
import { ROOT, startRegc } from "./support.js";

/**
 * A model folder whose weights.bin is gone, cut short or a Git LFS pointer:
 * `regc predict`, `regc export` and `reglang/predict` name the file and what
 * is wrong with it (exit 2), where tfjs would throw from deep inside.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-damaged-weights-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  await selectBackend("cpu");
  await saveTableModel(join(scratch, "intact"));
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
