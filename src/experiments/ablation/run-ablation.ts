import type { FinishedTrial, TrialEngine } from "../engine.js";
import { removeExperimentStore } from "../experiment-store.js";
import { flattenMetrics } from "../metric.js";
import { keepTrialFolder } from "../keep-trial-folder.js";
import { shipSpecFiles } from "../spec-files.js";
import type { TrialJob } from "../trial.js";
import { buildDocument, writeDocument, type AblationDocument } from "./document.js";
import { trialId, type AblationPlan, type TrialRecord } from "./record.js";
import { writeAblationReport } from "./report-html.js";

/** Thrown when the data files changed since the ablation started: its trials would not compare. */
export class AblationInputsChanged extends Error {}

export interface AblationRunOptions {
  signal?: AbortSignal;
  /** Each trial as it finishes, with how many of this session's trials are done. */
  onTrial?: (record: TrialRecord, done: number, total: number) => void;
}

/**
 * Runs every trial of the plan that has no record in `trials` yet (all of
 * them for a fresh ablation, what is missing for `--resume`), seed by seed
 * so that an interrupted ablation still has whole pairs. Each finished
 * trial's run folder moves to `FOLDER/trials/ID/` and `ablation.json` is
 * rewritten, so a Ctrl-C loses only the trials still running. A complete
 * ablation leaves no copy of its data files behind.
 */
export async function runAblation(
  folder: string,
  plan: AblationPlan,
  trials: Map<string, TrialRecord>,
  engine: TrialEngine,
  options: AblationRunOptions = {},
): Promise<AblationDocument> {
  await shipInputs(plan, engine);
  const experiment = folder.split(/[\\/]/).pop()!;
  const jobs: TrialJob[] = plan.seeds.flatMap((seed) =>
    plan.arms
      .filter((arm) => arm.text !== undefined && !trials.has(trialId(arm.id, seed)))
      .map((arm) => ({
        id: trialId(arm.id, seed),
        experiment,
        arm: arm.id,
        seed,
        ...(plan.epochs !== undefined && { epochs: plan.epochs }),
        ...(plan.backend !== undefined && { backend: plan.backend }),
        spec: { fileName: plan.trialSpecFileName, text: arm.text! },
        files: plan.files,
      })),
  );
  writeDocument(folder, buildDocument(plan, trials));
  let done = 0;
  await engine.run(
    jobs,
    (finished) => {
      const job = jobs.find((j) => j.id === finished.result.id);
      if (!job || trials.has(job.id)) return;
      const record = keepTrial(folder, job, finished);
      trials.set(record.id, record);
      writeDocument(folder, buildDocument(plan, trials));
      options.onTrial?.(record, ++done, jobs.length);
    },
    options.signal,
  );
  const document = buildDocument(plan, trials);
  writeDocument(folder, document);
  writeAblationReport(folder, document);
  if (document.complete) removeExperimentStore(folder);
  return document;
}

/** The data files, into the engine's store; on a resume they must be the ones the ablation started with. */
async function shipInputs(plan: AblationPlan, engine: TrialEngine): Promise<void> {
  const full = plan.arms.find((arm) => arm.id === "full")!;
  const shipped = await shipSpecFiles(plan.specPath, full.text!, engine.blobs);
  const key = (files: AblationPlan["files"]) => files.map((f) => `${f.path}:${f.sha256}`).sort().join("\n");
  if (key(shipped.files) !== key(plan.files)) {
    throw new AblationInputsChanged(`the data files of ${plan.spec} changed since this ablation started, so new trials would not compare with the finished ones; start a new ablation`);
  }
}

/** The run folder under `trials/ID/` (written from the result when the trial ran elsewhere), and the trial's record. */
function keepTrial(folder: string, job: TrialJob, finished: FinishedTrial): TrialRecord {
  const { result } = finished;
  const relative = keepTrialFolder(folder, job.id, finished);
  return {
    id: job.id,
    arm: job.arm,
    seed: job.seed,
    status: result.status,
    ...(result.reason !== undefined && { reason: result.reason }),
    metrics: Object.fromEntries(flattenMetrics(result.metrics)),
    folder: relative,
  };
}
