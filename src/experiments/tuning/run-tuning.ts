import { basename, join } from "node:path";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import { writePoint } from "../../compiler/tuning/write-point.js";
import type { FinishedTrial, TrialEngine } from "../engine.js";
import { removeExperimentStore } from "../experiment-store.js";
import { epochsTrained } from "../epochs-trained.js";
import { flattenMetrics } from "../metric.js";
import { keepTrialFolder } from "../keep-trial-folder.js";
import { shipSpecFiles } from "../spec-files.js";
import type { TrialJob } from "../trial.js";
import { AshaScheduler, type RungJob } from "./asha.js";
import { buildDocument, pointOf, runId, writeDocument, type RunRecord, type TuningDocument, type TuningPlan } from "./document.js";
import { writeTuningReport } from "./report-html.js";
import { bestSpecText } from "./best-spec.js";

/** Thrown when the data files changed since the tuning started: new trials would not compare with finished ones. */
export class TuningInputsChanged extends Error {}

export interface TuningRunOptions {
  signal?: AbortSignal;
  /** Each run as it finishes, with how many runs have finished in all. */
  onRun?: (record: RunRecord, finished: number) => void;
}

/**
 * Runs the search: the scheduler says which trial to start or promote next
 * (random and grid are halving with a single rung, where every trial runs
 * the whole budget once), and as many runs go on at once as the engine has
 * workers. Each finished run's folder moves to `FOLDER/trials/ID/` and
 * `tuning.json` is rewritten, so Ctrl-C loses only the runs still going;
 * `--resume` hands the finished runs back to the scheduler, which then
 * decides as it would have without the interruption. A complete tuning
 * leaves no copy of its data files behind.
 */
export async function runTuning(folder: string, plan: TuningPlan, runs: Map<string, RunRecord>, engine: TrialEngine, options: TuningRunOptions = {}): Promise<TuningDocument> {
  await shipInputs(plan, engine);
  const experiment = basename(folder);
  const scheduler = new AshaScheduler(
    { trials: plan.trials, minEpochs: plan.rungs[0]!, maxEpochs: plan.rungs[plan.rungs.length - 1]!, reduction: plan.reduction, direction: plan.objective.direction },
    [...runs.values()].map((r) => ({ trial: r.trial, rung: r.rung, objective: r.objective ?? undefined })),
  );
  writeDocument(folder, buildDocument(plan, runs, false));

  const running = new Set<Promise<void>>();
  let done = false;
  const launch = (rungJob: RungJob) => {
    const job = trialJob(plan, experiment, rungJob);
    const finished = engine.run([job], (trial) => {
      const record = keepRun(folder, plan, rungJob, job, trial);
      runs.set(record.id, record);
      scheduler.report({ trial: record.trial, rung: record.rung, objective: record.objective ?? undefined });
      writeDocument(folder, buildDocument(plan, runs, false));
      options.onRun?.(record, runs.size);
    }, options.signal);
    const settled = finished.finally(() => running.delete(settled));
    running.add(settled);
  };
  while (!options.signal?.aborted) {
    let decision = scheduler.next();
    while (decision.kind === "run") {
      launch(decision.job);
      if (running.size >= engine.concurrency) break;
      decision = scheduler.next();
    }
    if (decision.kind === "done" && running.size === 0) {
      done = true;
      break;
    }
    await Promise.race(running);
  }
  await Promise.allSettled(running);

  const document = buildDocument(plan, runs, done);
  writeDocument(folder, document);
  if (document.best) writeFileAtomically(join(folder, "best.reg"), bestSpecText(plan.specText, plan.specPath, document.best.point, folder));
  writeTuningReport(folder, document);
  if (document.complete) removeExperimentStore(folder);
  return document;
}

function trialJob(plan: TuningPlan, experiment: string, { trial, rung, epochs }: RungJob): TrialJob {
  return {
    id: runId(trial, rung, plan.rungs),
    experiment,
    arm: `trial-${trial}`,
    seed: plan.seed,
    epochs,
    ...(plan.backend !== undefined && { backend: plan.backend }),
    spec: { fileName: plan.trialSpecFileName, text: writePoint(plan.specText, pointOf(plan, trial)) },
    files: plan.files,
  };
}

/** The data files, into the engine's store; on a resume they must be the ones the tuning started with. */
async function shipInputs(plan: TuningPlan, engine: TrialEngine): Promise<void> {
  const shipped = await shipSpecFiles(plan.specPath, plan.specText, engine.blobs);
  const key = (files: TuningPlan["files"]) => files.map((f) => `${f.path}:${f.sha256}`).sort().join("\n");
  if (key(shipped.files) !== key(plan.files)) {
    throw new TuningInputsChanged(`the data files of ${plan.spec} changed since this tuning started, so new trials would not compare with the finished ones; start a new tuning`);
  }
}

/** The run folder under `trials/ID/` (written from the result when the run was elsewhere), and the run's record. */
function keepRun(folder: string, plan: TuningPlan, { trial, rung, epochs }: RungJob, job: TrialJob, finished: FinishedTrial): RunRecord {
  const { result } = finished;
  const relative = keepTrialFolder(folder, job.id, finished);
  const metrics = flattenMetrics(result.metrics);
  const objective = result.status === "ok" ? (metrics.get(plan.objective.metric) ?? null) : null;
  return {
    id: job.id,
    trial,
    rung,
    budget: epochs,
    epochs: epochsTrained(result.history),
    status: result.status,
    ...(result.reason !== undefined && { reason: result.reason }),
    objective,
    metrics: Object.fromEntries(metrics),
    folder: relative,
  };
}
