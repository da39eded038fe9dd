import type { TrialStatus } from "../experiments/trial.js";

/**
 * The error of an experiment whose every trial failed (none trained, none
 * diverged), as when the backend it asked for cannot start on this machine:
 * its table has nothing to compare, and a script must not read exit 0 as
 * results. The reason they share, or the first; undefined when any trial
 * got further.
 */
export function everyTrialFailed(trials: readonly { status: TrialStatus; reason?: string }[]): string | undefined {
  if (trials.length === 0 || trials.some((trial) => trial.status !== "failed")) return undefined;
  const reasons = new Set(trials.map((trial) => trial.reason ?? "no reason given"));
  const [first] = reasons;
  return reasons.size === 1 ? `every trial failed: ${first}` : `every trial failed; the first: ${first}`;
}
