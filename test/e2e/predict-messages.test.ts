import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { InputError, loadPredictor } from "../../src/predict/node/index.js";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { saveTableModel } from "./export-support.js";
import { ROOT, startRegc } from "./support.js";

/** What `regc predict`, `regc export` and `reglang/predict` in Node say of a model they were given wrongly, and what they leave unsaid. */

const scratch = mkdtempSync(join(ROOT, ".scratch-predict-messages-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  await selectBackend("cpu");
  await saveTableModel(join(scratch, "run"));
  await saveTableModel(join(scratch, "other-run"));
  mkdirSync(join(scratch, "unfinished"));
  writeFileSync(join(scratch, "unfinished", "run.json"), "{}\n");
  writeFileSync(join(scratch, "rows.csv"), "a,b\n1,2\n");
});

it.each([
  [["predict", "no-such-run", "rows.csv", "--backend", "cpu"], "no-such-run does not exist: give a run folder (regc run), an export folder (regc export) or its model.json"],
  [["export", "no-such-run", "-o", "out"], "no-such-run does not exist: give a run folder (regc run), an export folder (regc export) or its model.json"],
  [["predict", "run", "other-run", "rows.csv", "--backend", "cpu"], "two model folders were given, run and other-run: give one run or export folder, then the rows or images to predict (regc predict MODEL INPUT…)"],
  [["predict", "unfinished", "rows.csv", "--backend", "cpu"], "unfinished is a run that has not finished, so it holds no trained model yet: continue it with `regc run --resume unfinished`, then predict with it"],
  [["export", "unfinished", "-o", "out"], "unfinished is a run that has not finished, so it holds no trained model yet: continue it with `regc run --resume unfinished`, then export it"],
])("regc %j says what is wrong with its model (exit 2)", async (args, message) => {
  const refused = await startRegc(args, scratch);
  expect(refused.code, refused.stderr).toBe(2);
  expect(refused.stderr).toBe(`regc: error: ${message}\n`);
});

it("reglang/predict in Node says a URL is for a page", async () => {
  const loading = loadPredictor("http://localhost:8080/model.json");
  await expect(loading).rejects.toThrow(InputError);
  await expect(loading).rejects.toThrow("http://localhost:8080/model.json is a URL, which reglang/predict loads in a page; in Node, give the path of a run or export folder, or of its model.json");
});

it("reglang/predict in Node prints nothing of its own: no advice from TensorFlow.js to install tfjs-node", () => {
  const code = `import { loadPredictor } from ${JSON.stringify(join(ROOT, "dist", "predict-node.js"))};
const predictor = await loadPredictor(${JSON.stringify(join(scratch, "run"))});
process.stdout.write(JSON.stringify(predictor.predictRows([{ a: 1, b: 2 }])));`;
  const node = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: scratch, encoding: "utf8", timeout: 60_000 });
  expect(node.status, node.stderr).toBe(0);
  expect(node.stderr).toBe("");
  expect(node.stdout).toMatch(/^\[\[\{"task":"fit","kind":"regress","values":\[-?\d/);
});
