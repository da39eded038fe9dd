import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { saveTableModel } from "./export-support.js";
import { ROOT, startRegc } from "./support.js";
import { isInstalled } from "../support/installed-package.js";

/** `regc predict --backend` refuses an unknown name and a backend that cannot start here as `regc run` does: one line, exit 2. */

const scratch = mkdtempSync(join(ROOT, ".scratch-predict-backend-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  await selectBackend("cpu");
  await saveTableModel(join(scratch, "run"));
  writeFileSync(join(scratch, "rows.csv"), "a,b\n1,2\n");
});

it("refuses an unknown backend with the names --help lists, as regc run does", async () => {
  const predicted = await startRegc(["predict", "run", "rows.csv", "--backend", "nope"], scratch);
  const run = await startRegc(["run", "spec.reg", "--backend", "nope"], scratch);
  expect(predicted.code, predicted.stderr).toBe(2);
  expect(predicted.stderr).toBe("regc: error: option `--backend` must be one of tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu, tensorflow, not `nope`\n");
  expect(predicted.stderr).toBe(run.stderr);
  const help = await startRegc(["predict", "--help"], scratch);
  for (const name of ["tfjs-node-gpu", "tfjs-node", "webgpu", "wasm", "cpu", "tensorflow"]) expect(help.stdout).toContain(name);
});

it.skipIf(isInstalled("@tensorflow/tfjs-node"))("says why a backend cannot start here, in one line, exit 2", async () => {
  const predicted = await startRegc(["predict", "run", "rows.csv", "--backend", "tfjs-node"], scratch);
  expect(predicted.code, predicted.stderr).toBe(2);
  expect(predicted.stderr).toBe('regc: error: backend "tfjs-node" cannot be used: @tensorflow/tfjs-node is not installed (it is optional: its install downloads libtensorflow, which failed or was skipped here)\n');
});
