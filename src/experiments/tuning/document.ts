import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import type { TrialFile, TrialStatus } from "../trial.js";
import { gridPoint, randomPoint, type Domain, type Point } from "./sampling.js";
import { describeIoError } from "../../shared/describe-io-error.js";
import { plural } from "../../shared/plural.js";

/** The version of `tuning.json` and of `regc tune --format json`; bumped on any incompatible change. */
export const TUNING_FORMAT_VERSION = 1;

export type Method = "random" | "grid" | "halving";

/** What a tuning is asked to do, fixed when it starts; `--resume` reads it back. */
export interface TuningPlan {
  /** The spec as given on the command line, its absolute path, and its text: each trial's spec is that text at a point. */
  spec: string;
  specPath: string;
  specText: string;
  method: Method;
  objective: { metric: string; direction: "maximize" | "minimize" };
  /** Trials to run (for a grid, at most its number of points). */
  trials: number;
  /** Draws the random points, and is every trial's training seed, so trials differ only by their points. */
  seed: number;
  spaces: Domain[];
  /** Epochs at each rung: one rung (the spec's epochs) unless halving. */
  rungs: number[];
  reduction: number;
  backend?: string;
  trialSpecFileName: string;
  files: TrialFile[];
}

/** One training of a trial's point: the whole budget, or one rung of halving. */
export interface RunRecord {
  id: string;
  trial: number;
  rung: number;
  /** Its rung's epochs, the run's `--epochs`. */
  budget: number;
  /** The epochs it completed (see `epochsTrained`): fewer than `budget` when it diverged, failed or stopped early. */
  epochs: number;
  status: TrialStatus;
  reason?: string;
  /** The objective's value, when the run reported it. */
  objective: number | null;
  metrics: Record<string, number>;
  /** The run folder, relative to the tuning folder. */
  folder: string;
}

/** `stopped early`: halving did not promote it past a lower rung. */
export type TrialOutcome = TrialStatus | "stopped early";

export interface TrialSummary {
  trial: number;
  point: Point;
  status: TrialOutcome;
  /** At its highest finished rung, as are `budget` and `epochs`. */
  objective: number | null;
  budget: number;
  epochs: number;
  runs: string[];
}

export interface BestTrial {
  trial: number;
  point: Point;
  objective: number;
  epochs: number;
}

/** `tuning.json`, which is also what `regc tune --format json` prints. */
export interface TuningDocument {
  version: number;
  spec: string;
  method: Method;
  objective: TuningPlan["objective"];
  seed: number;
  /** `true` once the search has nothing left to run. */
  complete: boolean;
  /** Epochs the runs completed, all of them together. */
  epochsTrained: number;
  best: BestTrial | null;
  trials: TrialSummary[];
  runs: RunRecord[];
  plan: TuningPlan;
}

export function pointOf(plan: TuningPlan, trial: number): Point {
  return plan.method === "grid" ? gridPoint(plan.spaces, trial) : randomPoint(plan.spaces, plan.seed, trial);
}

export function runId(trial: number, rung: number, rungs: readonly number[]): string {
  return rungs.length > 1 ? `trial-${trial}-${rungs[rung]}-epochs` : `trial-${trial}`;
}

export function buildDocument(plan: TuningPlan, runs: ReadonlyMap<string, RunRecord>, complete: boolean): TuningDocument {
  const records = [...runs.values()].sort((a, b) => a.trial - b.trial || a.rung - b.rung);
  const trialNumbers = [...new Set(records.map((r) => r.trial))];
  const topRung = plan.rungs.length - 1;
  const trials = trialNumbers.map((trial): TrialSummary => {
    const own = records.filter((r) => r.trial === trial);
    const last = own[own.length - 1]!;
    const stoppedEarly = complete && last.status === "ok" && last.rung < topRung;
    return { trial, point: pointOf(plan, trial), status: stoppedEarly ? "stopped early" : last.status, objective: last.objective, budget: plan.rungs[last.rung]!, epochs: last.epochs, runs: own.map((r) => r.id) };
  });
  return {
    version: TUNING_FORMAT_VERSION,
    spec: plan.spec,
    method: plan.method,
    objective: plan.objective,
    seed: plan.seed,
    complete,
    epochsTrained: records.reduce((sum, r) => sum + r.epochs, 0),
    best: bestTrial(plan, records),
    trials,
    runs: records,
    plan,
  };
}

/**
 * What qualifies the best trial where it is shown: nothing once the search
 * is complete; while it is not, ` so far (N of M trials)`, since trials
 * still to run may do better.
 */
export function bestQualifier(document: TuningDocument): string {
  return document.complete ? "" : ` so far (${document.trials.length} of ${plural(document.plan.trials, "trial")})`;
}

/** The best objective among the runs of the highest rung any run reached: trials compare at equal budgets. */
function bestTrial(plan: TuningPlan, records: readonly RunRecord[]): BestTrial | null {
  const scored = records.filter((r) => r.status === "ok" && r.objective !== null && Number.isFinite(r.objective));
  const rung = Math.max(-1, ...scored.map((r) => r.rung));
  const sign = plan.objective.direction === "maximize" ? 1 : -1;
  const best = scored.filter((r) => r.rung === rung).sort((a, b) => sign * (b.objective! - a.objective!) || a.trial - b.trial)[0];
  return best ? { trial: best.trial, point: pointOf(plan, best.trial), objective: best.objective!, epochs: best.epochs } : null;
}

export function writeDocument(folder: string, document: TuningDocument): void {
  writeFileAtomically(join(folder, "tuning.json"), `${JSON.stringify(document, null, 2)}\n`);
}

/** What a tuning folder holds so far, for `--resume`; a message when it is not one. */
export function readDocument(folder: string): { plan: TuningPlan; runs: Map<string, RunRecord> } | string {
  let parsed: Partial<TuningDocument>;
  try {
    parsed = JSON.parse(readFileSync(join(folder, "tuning.json"), "utf8")) as Partial<TuningDocument>;
  } catch (error) {
    return `cannot read ${join(folder, "tuning.json")}: ${describeIoError(error)}`;
  }
  if (parsed.version !== TUNING_FORMAT_VERSION || !parsed.plan || !Array.isArray(parsed.runs)) {
    return `${join(folder, "tuning.json")} is not a tuning this regc can continue (version ${String(parsed.version)}, expected ${TUNING_FORMAT_VERSION})`;
  }
  const plan = parsed.plan;
  // A run recorded before `budget` was: its `epochs` were its rung's, all it is known to have trained.
  const runs = parsed.runs.map((record) => (record.budget === undefined ? { ...record, budget: plan.rungs[record.rung] ?? record.epochs } : record));
  return { plan, runs: new Map(runs.map((record) => [record.id, record])) };
}
