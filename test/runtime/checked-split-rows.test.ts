import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check } from "../../src/compiler/index.js";
import { emitTypeScript } from "../../src/compiler/emit/emit.js";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { DataSpec } from "../../src/runtime/data/dataset.js";
import { loadData } from "../../src/runtime/data/load.js";
import { EXAMPLES_DIR } from "../support/examples.js";

/**
 * The rows the checker reports for each split (hover, capacity warnings)
 * are the rows the generated program's data spec loads, on real data.
 */

const scratch = mkdtempSync(join(tmpdir(), "reglang-split-rows-"));
let programs = 0;
const RUNTIME = join(import.meta.dirname, "..", "..", "src", "runtime", "index.ts");

beforeAll(async () => {
  await selectBackend("cpu");
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Each data block's split rows as the checker reports them, and as the emitted program's data spec loads them. */
async function checkedAndLoaded(text: string, path: string): Promise<{ checked: Record<string, number | undefined>; loaded: Record<string, number> }> {
  const checkedSpec = check(text, { path });
  expect(checkedSpec.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const data = [...checkedSpec.program.data.values()][0]!;
  const checked = Object.fromEntries([...data.splits.values()].map((split) => [split.name, split.rows]));
  const emitted = await emitTypeScript({ checked: checkedSpec, text, specPath: path, outDir: scratch });
  if (!emitted.ok) throw new Error(emitted.diagnostics.map((d) => d.message).join("\n"));
  // A module is imported once per path: each program gets its own.
  const file = join(scratch, `${++programs}-${emitted.fileName}`);
  writeFileSync(file, emitted.code.replace('from "reglang/runtime"', `from ${JSON.stringify(RUNTIME)}`));
  const program = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const spec = program[`${data.name}Data`] as DataSpec;
  const dataset = await loadData(spec);
  const loaded = Object.fromEntries(Object.values(dataset.splits).map((split) => [split.name, split.rows]));
  for (const split of Object.values(dataset.splits)) tf.dispose([split.x, ...Object.values(split.targets)]);
  return { checked, loaded };
}

/** Example D with its `split` line replaced. */
function carsWithSplit(split: string): { text: string; path: string } {
  const path = join(EXAMPLES_DIR, "d-multitask-cars.reg");
  const text = readFileSync(path, "utf8").replace(/split\s+train: 0\.6, val: 0\.2, test: 0\.2/, `split    ${split}`);
  return { text, path };
}

describe("the checker's split rows are the rows the runtime loads", () => {
  it("fractions that use every row: the last takes the rounding remainder (example D, 392 complete cars)", async () => {
    const path = join(EXAMPLES_DIR, "d-multitask-cars.reg");
    const { checked, loaded } = await checkedAndLoaded(readFileSync(path, "utf8"), path);
    expect(checked).toEqual({ train: 235, val: 78, test: 79 });
    expect(loaded).toEqual(checked);
  });

  it("fractions written as percentages, and fractions that leave rows unused", async () => {
    for (const split of ["train: 70%, val: 15%, test: 15%", "train: 0.5, val: 0.33"]) {
      const { text, path } = carsWithSplit(split);
      const { checked, loaded } = await checkedAndLoaded(text, path);
      expect(loaded).toEqual(checked);
    }
  });

  it("a percentage of 100 is refused: the generated program writes 1, which is one row", () => {
    const { text, path } = carsWithSplit("train: 100%");
    const errors = check(text, { path }).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => [d.code, text.slice(d.span.start, d.span.end)])).toContainEqual(["REG2001", "100%"]);
  });

  it("row counts, on MNIST (example A)", async () => {
    const path = join(EXAMPLES_DIR, "a-mlp-dropout-maxnorm.reg");
    const { checked, loaded } = await checkedAndLoaded(readFileSync(path, "utf8"), path);
    expect(checked).toEqual({ train: 1000, val: 500, test: 2000 });
    expect(loaded).toEqual(checked);
  });
});
