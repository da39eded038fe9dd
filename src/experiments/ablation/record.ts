import type { MetricChoice } from "../metric.js";
import type { TrialFile, TrialStatus } from "../trial.js";
import type { Arm } from "./arms.js";

/** The version of `ablation.json` and of `regc ablate --format json`; bumped on any incompatible change. */
export const ABLATION_FORMAT_VERSION = 1;

/** What an ablation is asked to do, fixed when it starts; `--resume` reads it back. */
export interface AblationPlan {
  /** The spec as given on the command line. */
  spec: string;
  /** Its absolute path, where data files were shipped from. */
  specPath: string;
  seeds: number[];
  epochs?: number;
  backend?: string;
  metric: MetricChoice;
  /** Whether `--metric` named it (otherwise attacked accuracy is reported beside the default). */
  metricNamed: boolean;
  /** Every arm, those not removable included, in the order they are reported. */
  arms: Arm[];
  /** The spec's path inside a trial's folder, and the data files every trial carries. */
  trialSpecFileName: string;
  files: TrialFile[];
}

/** One finished trial: an arm at a seed. */
export interface TrialRecord {
  id: string;
  arm: string;
  seed: number;
  status: TrialStatus;
  reason?: string;
  /** The trial's metrics.json, flattened to `name → value` (see `flattenMetrics`). */
  metrics: Record<string, number>;
  /** The run folder, relative to the ablation's folder. */
  folder: string;
}

export function trialId(arm: string, seed: number): string {
  return `${arm}@seed${seed}`;
}
