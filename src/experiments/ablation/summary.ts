import type { MetricChoice } from "../metric.js";
import { mean, pairedDifferences, sampleSd, tInterval, verdict, type Verdict } from "../statistics.js";
import { trialId, type AblationPlan, type TrialRecord } from "./record.js";

/** `ok`: every seed trained; `incomplete`: some not run yet; `failed`: some crashed or diverged; `not removable`: its spec has errors. */
export type ArmStatus = "ok" | "incomplete" | "failed" | "not removable";

export interface ArmSummary {
  id: string;
  name: string;
  removed: string[];
  seeds: number[];
  /** The metric at each seed, in seed order; null where the trial did not finish with a value. */
  values: Array<number | null>;
  mean: number | null;
  sd: number | null;
  status: ArmStatus;
  /** Why: the checker's error for `not removable`, each failed trial's reason for `failed`. */
  reasons?: string[];
}

export interface Effect {
  /** The removed clause's text, or `every clause` for `full` against `none`. */
  clause: string;
  /** The arm it is measured against. */
  arm: string;
  /** Mean over seeds of metric(full) − metric(without it); null without a pair. */
  delta: number | null;
  /** 95% Student-t interval of that mean (n − 1 degrees of freedom); null with fewer than two pairs. */
  ci95: [number, number] | null;
  /** Seeds where both trials have a value. */
  pairs: number;
  verdict: Verdict;
}

export interface MetricSummary {
  metric: string;
  higherIsBetter: boolean;
  arms: ArmSummary[];
  effects: Effect[];
}

/** Each arm's values and each clause's paired effect for one metric. */
export function summarize(plan: AblationPlan, trials: ReadonlyMap<string, TrialRecord>, metric: MetricChoice): MetricSummary {
  const arms = plan.arms.map((arm): ArmSummary => {
    const records = plan.seeds.map((seed) => trials.get(trialId(arm.id, seed)));
    const values = records.map((record) => (record?.status === "ok" ? (record.metrics[metric.name] ?? null) : null));
    const present = values.filter((v): v is number => v !== null);
    const failures = records.filter((r): r is TrialRecord => r !== undefined && r.status !== "ok");
    const status: ArmStatus = arm.notRemovable ? "not removable" : failures.length > 0 ? "failed" : records.some((r) => !r) ? "incomplete" : "ok";
    const reasons = arm.notRemovable ? [arm.notRemovable] : failures.map((r) => `seed ${r.seed}: ${r.status}: ${r.reason ?? "no message"}`);
    return {
      id: arm.id,
      name: arm.name,
      removed: arm.removed,
      seeds: plan.seeds,
      values,
      mean: present.length > 0 ? mean(present) : null,
      sd: present.length > 1 ? sampleSd(present) : null,
      status,
      ...(reasons.length > 0 && { reasons }),
    };
  });
  const full = arms.find((arm) => arm.id === "full");
  const effects = full
    ? arms
        .filter((arm) => arm.id !== "full" && arm.status !== "not removable")
        .map((arm) => effect(arm.id === "none" ? "every clause" : arm.name, arm, full, metric.higherIsBetter))
    : [];
  return { metric: metric.name, higherIsBetter: metric.higherIsBetter, arms, effects };
}

function effect(clause: string, without: ArmSummary, full: ArmSummary, higherIsBetter: boolean): Effect {
  const differences = pairedDifferences(nullsAsMissing(full.values), nullsAsMissing(without.values));
  const interval = tInterval(differences);
  return {
    clause,
    arm: without.id,
    delta: differences.length > 0 ? mean(differences) : null,
    ci95: interval ?? null,
    pairs: differences.length,
    verdict: verdict(interval, higherIsBetter),
  };
}

function nullsAsMissing(values: ReadonlyArray<number | null>): Array<number | undefined> {
  return values.map((v) => v ?? undefined);
}
