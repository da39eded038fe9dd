import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import { attackedMetrics, type MetricChoice } from "../metric.js";
import { ABLATION_FORMAT_VERSION, trialId, type AblationPlan, type TrialRecord } from "./record.js";
import { summarize, type ArmSummary, type Effect, type MetricSummary } from "./summary.js";
import { describeIoError } from "../../shared/describe-io-error.js";

/**
 * `ablation.json`, which is also what `regc ablate --format json` prints:
 * the headline metric's arms and effects at the top, other metrics
 * (accuracy under attack) beside them, every finished trial, and the plan
 * that `--resume` continues.
 */
export interface AblationDocument {
  version: number;
  spec: string;
  metric: string;
  higherIsBetter: boolean;
  seeds: number[];
  epochs?: number;
  /** `true` once every trial of every removable arm has finished. */
  complete: boolean;
  arms: ArmSummary[];
  effects: Effect[];
  otherMetrics: MetricSummary[];
  trials: TrialRecord[];
  plan: AblationPlan;
}

export function buildDocument(plan: AblationPlan, trials: ReadonlyMap<string, TrialRecord>): AblationDocument {
  const headline = summarize(plan, trials, plan.metric);
  const complete = plan.arms.every((arm) => arm.notRemovable !== undefined || plan.seeds.every((seed) => trials.has(trialId(arm.id, seed))));
  return {
    version: ABLATION_FORMAT_VERSION,
    spec: plan.spec,
    metric: headline.metric,
    higherIsBetter: headline.higherIsBetter,
    seeds: plan.seeds,
    ...(plan.epochs !== undefined && { epochs: plan.epochs }),
    complete,
    arms: headline.arms,
    effects: headline.effects,
    otherMetrics: otherMetrics(plan, trials).map((metric) => summarize(plan, trials, metric)),
    trials: orderedTrials(plan, trials),
    plan,
  };
}

/** Accuracy under attack, when the default metric is used and the full spec's trials report one. */
function otherMetrics(plan: AblationPlan, trials: ReadonlyMap<string, TrialRecord>): MetricChoice[] {
  if (plan.metricNamed) return [];
  const full = plan.seeds.map((seed) => trials.get(trialId("full", seed))).find((record) => record?.status === "ok");
  return full ? attackedMetrics(new Map(Object.entries(full.metrics)), plan.metric) : [];
}

function orderedTrials(plan: AblationPlan, trials: ReadonlyMap<string, TrialRecord>): TrialRecord[] {
  return plan.arms.flatMap((arm) => plan.seeds.map((seed) => trials.get(trialId(arm.id, seed)))).filter((r): r is TrialRecord => r !== undefined);
}

export function writeDocument(folder: string, document: AblationDocument): void {
  writeFileAtomically(join(folder, "ablation.json"), `${JSON.stringify(document, null, 2)}\n`);
}

/** What an ablation folder holds so far, for `--resume`; a message when it is not one. */
export function readDocument(folder: string): { plan: AblationPlan; trials: Map<string, TrialRecord> } | string {
  let parsed: Partial<AblationDocument>;
  try {
    parsed = JSON.parse(readFileSync(join(folder, "ablation.json"), "utf8")) as Partial<AblationDocument>;
  } catch (error) {
    return `cannot read ${join(folder, "ablation.json")}: ${describeIoError(error)}`;
  }
  if (parsed.version !== ABLATION_FORMAT_VERSION || !parsed.plan || !Array.isArray(parsed.trials)) {
    return `${join(folder, "ablation.json")} is not an ablation this regc can continue (version ${String(parsed.version)}, expected ${ABLATION_FORMAT_VERSION})`;
  }
  return { plan: parsed.plan, trials: new Map(parsed.trials.map((record) => [record.id, record])) };
}
