import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FinishedTrial, TrialEngine } from "../../../src/experiments/engine.js";
import { FolderBlobStore } from "../../../src/experiments/folder-blob-store.js";
import { readDocument, TUNING_FORMAT_VERSION, type TuningDocument, type TuningPlan } from "../../../src/experiments/tuning/document.js";
import { runTuning } from "../../../src/experiments/tuning/run-tuning.js";
import type { TrialJob, TrialResult } from "../../../src/experiments/trial.js";
import { EXAMPLES_DIR } from "../../support/examples.js";

const scratch = mkdtempSync(join(tmpdir(), "reglang-run-tuning-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const specPath = join(EXAMPLES_DIR, "tuning", "a-dropout-maxnorm.reg");

/** Three random trials of 4 epochs each. */
const plan: TuningPlan = {
  spec: "a-dropout-maxnorm.reg",
  specPath,
  specText: readFileSync(specPath, "utf8"),
  method: "random",
  objective: { metric: "val_accuracy", direction: "maximize" },
  trials: 3,
  seed: 0,
  spaces: [
    { name: "mlp.dropout.rate", kind: "uniform", low: 0.2, high: 0.7 },
    { name: "mlp.dropout.rate#2", kind: "uniform", low: 0.2, high: 0.7 },
    { name: "mlp.maxnorm.c", kind: "choice", options: ["1", "2", "3", "4"] },
  ],
  rungs: [4],
  reduction: 3,
  trialSpecFileName: "a-dropout-maxnorm.reg",
  files: [],
};

const epochRecords = (count: number) => Array.from({ length: count }, (_, i) => ({ epoch: i + 1, phase: "train", learningRate: 0.01, seconds: 1, train: { loss: 1 } }));

/** A fresh tuning folder, as `regc tune` makes one. */
function tuningFolder(name: string): string {
  const folder = join(scratch, name);
  mkdirSync(folder);
  return folder;
}

/** An engine whose trials train without training: `outcome(job)` is what each reports. */
function fakeEngine(outcome: (job: TrialJob) => TrialResult): TrialEngine {
  return {
    blobs: new FolderBlobStore(join(scratch, "blobs")),
    concurrency: 1,
    description: "a fake engine",
    async run(jobs, onFinished) {
      for (const job of jobs) await onFinished({ result: outcome(job) } satisfies FinishedTrial);
    },
    async close() {},
  };
}

describe("a tuning's record of epochs", () => {
  it("counts what each run trained: a diverged run's epochs are those before it diverged, and the total sums them", async () => {
    const engine = fakeEngine((job) => {
      // Trial 1 diverges during its second epoch: its history holds the one epoch it finished.
      if (job.id === "trial-1") return { id: job.id, status: "diverged", reason: "the training loss became NaN at epoch 2, step 3", history: { epochs: epochRecords(1) } };
      return { id: job.id, status: "ok", metrics: { splits: { val: { accuracy: 0.8 } } }, history: { epochs: epochRecords(job.epochs!) } };
    });
    const document: TuningDocument = await runTuning(tuningFolder("diverged"), plan, new Map(), engine);

    expect(document.runs.map((r) => ({ id: r.id, status: r.status, budget: r.budget, epochs: r.epochs }))).toEqual([
      { id: "trial-0", status: "ok", budget: 4, epochs: 4 },
      { id: "trial-1", status: "diverged", budget: 4, epochs: 1 },
      { id: "trial-2", status: "ok", budget: 4, epochs: 4 },
    ]);
    expect(document.trials[1]).toMatchObject({ status: "diverged", budget: 4, epochs: 1 });
    expect(document.epochsTrained).toBe(9);
  });

  it("counts a bagged run by its furthest member, and a run that wrote no history as none", async () => {
    const engine = fakeEngine((job) =>
      job.id === "trial-0"
        ? { id: job.id, status: "failed", reason: "out of memory" }
        : { id: job.id, status: "ok", metrics: { splits: { val: { accuracy: 0.8 } } }, history: { epochs: [], members: [{ name: "member-1", epochs: epochRecords(4) }, { name: "member-2", epochs: epochRecords(3) }] } },
    );
    const document = await runTuning(tuningFolder("bagged"), plan, new Map(), engine);

    expect(document.runs.map((r) => r.epochs)).toEqual([0, 4, 4]);
    expect(document.epochsTrained).toBe(8);
  });

  it("continues a tuning recorded before runs had a budget, each old run's epochs its budget", async () => {
    const folder = tuningFolder("recorded-before-budgets");
    const old = { id: "trial-0", trial: 0, rung: 0, epochs: 4, status: "ok", objective: 0.8, metrics: { val_accuracy: 0.8 }, folder: "trials/trial-0" };
    writeFileSync(join(folder, "tuning.json"), JSON.stringify({ version: TUNING_FORMAT_VERSION, complete: false, runs: [old], plan }));
    const read = readDocument(folder);
    if (typeof read === "string") throw new Error(read);
    expect(read.runs.get("trial-0")).toMatchObject({ budget: 4, epochs: 4 });

    const engine = fakeEngine((job) => ({ id: job.id, status: "ok", metrics: { splits: { val: { accuracy: 0.7 } } }, history: { epochs: epochRecords(job.epochs!) } }));
    const document = await runTuning(folder, read.plan, read.runs, engine);
    expect(document.runs.map((r) => r.budget)).toEqual([4, 4, 4]);
  });
});
