import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FinalMetrics, History } from "../../src/runtime/run/history.js";
import { EXAMPLES, ROOT, onlyRunFolder, readJson, startRegc } from "./support.js";

/**
 * Example C (100 labels, all four §7.6 terms) from the command line,
 * shortened to 1,000 unlabeled digits and 6 epochs, against the same spec
 * without its regularize block, as an ablation compares them: same seed,
 * same epochs. Without a technique reading the unlabeled split an epoch is
 * one pass over the 100 labels (4 steps) instead of one over the unlabeled
 * digits (31 steps): that is part of what the clauses do.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-semi-e2e-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const EXAMPLE_C = readFileSync(join(EXAMPLES, "c-semi-supervised.reg"), "utf8");
const SHORT_C = EXAMPLE_C.replace("unlabeled: 5000", "unlabeled: 1000").replace("epochs    40", "epochs    6");
const WITHOUT_CLAUSES = SHORT_C.slice(0, SHORT_C.indexOf("regularize mlp"));

async function train(name: string, text: string): Promise<{ metrics: FinalMetrics; history: History; program: string }> {
  const folder = join(scratch, name);
  mkdirSync(folder);
  writeFileSync(join(folder, `${name}.reg`), text);
  const run = await startRegc(["run", `${name}.reg`, "--backend", "wasm", "--runs", "runs"], folder);
  expect(run.code, run.stderr).toBe(0);
  const runFolder = onlyRunFolder(join(folder, "runs"));
  return {
    metrics: readJson<FinalMetrics>(join(runFolder, "metrics.json")),
    history: readJson<History>(join(runFolder, "history.json")),
    program: readFileSync(join(runFolder, `${name}.ts`), "utf8"),
  };
}

describe("example C, shortened", () => {
  it("its semi-supervised clauses raise test accuracy over the same spec without them", async () => {
    expect(SHORT_C).not.toBe(EXAMPLE_C);
    const [clauses, without] = await Promise.all([train("c-short", SHORT_C), train("c-without-clauses", WITHOUT_CLAUSES)]);
    for (const factory of ["vat", "pseudoLabel", "consistency", "entropyMin"]) expect(clauses.program).toMatch(new RegExp(`reg\\.${factory}\\(\\{\\s*using: "unlabeled"`));
    // The unlabeled split has no targets: it is used, never scored.
    expect(clauses.metrics.splits.unlabeled).toBeUndefined();
    // The objective is the task loss plus the unlabeled terms, which are positive (VAT from the first step).
    for (const epoch of clauses.history.epochs) expect(epoch.train.loss!).toBeGreaterThan(epoch.train.digit_loss! + 0.05);
    const [withAccuracy, withoutAccuracy] = [clauses, without].map((arm) => arm.metrics.splits.test!.accuracy!);
    expect(withAccuracy).toBeGreaterThan(withoutAccuracy! + 0.03);
  }, 180_000);
});
