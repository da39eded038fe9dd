import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { predictionPlan } from "../../src/runtime/export/prediction-plan.js";
import { saveModelFolder } from "../../src/runtime/export/save-model.js";
import { dense } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { regress } from "../../src/runtime/train/tasks.js";
import { ROOT, startRegc } from "./support.js";

/** `regc export -o` where no folder can be made: a usage error naming the path and what is in the way, never an internal error. */

const scratch = mkdtempSync(join(ROOT, ".scratch-export-target-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  await selectBackend("cpu");
  const data = { name: "d", kind: "table", inputShape: [2], targets: {}, splits: {}, preprocessing: { kind: "table", shape: [2], features: ["a", "b"], missing: "refuse" } } as unknown as Dataset;
  const model = new Model("m", [2], [dense(1, { name: "out" })], 1);
  await saveModelFolder(join(scratch, "run"), [model], () => predictionPlan(model, []), { spec: "s.reg", data, tasks: [regress("fit", { output: "out", target: "y" })] });
  writeFileSync(join(scratch, "taken.csv"), "a,b\n1,2\n");
});

it.each([
  ["a file", "taken.csv", "a file of that name is in the way"],
  ["a path through a file", "taken.csv/export", "part of the path is a file, not a folder"],
])("-o naming %s exits 2 saying what is in the way", async (_, out, why) => {
  const exported = await startRegc(["export", "run", "-o", out], scratch);
  expect(exported.code, exported.stderr).toBe(2);
  expect(exported.stderr).toContain(`regc: error: cannot write the export to ${out}: ${why}; give -o a folder you can write to (it is made if missing)`);
  expect(exported.stderr).not.toMatch(/^\s+at /m);
});

it("-o naming a new folder writes the export there", async () => {
  const exported = await startRegc(["export", "run", "-o", "new/export"], scratch);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).toContain("wrote new/export/model.json");
});
