import { plural } from "../../shared/plural.js";

/**
 * Halving's rungs: the epochs each rung trains, and how many trials it
 * takes for one to reach the last. The checker, \`regc tune\` and the
 * scheduler (experiments/tuning/asha.ts) share them.
 */

/** Halving's first rung: \`min_epochs\`, else the train block's epochs over η², at least 1; never more than the epochs. */
export function firstRungEpochs(tune: { minEpochs?: number; reduction: number }, epochs: number): number {
  return Math.min(tune.minEpochs ?? Math.max(1, Math.floor(epochs / tune.reduction ** 2)), epochs);
}

/** Epochs at each rung: r, rη, rη², … while the next rung still fits the budget, then the whole budget. */
export function rungEpochs(minEpochs: number, maxEpochs: number, reduction: number): number[] {
  const rungs: number[] = [];
  for (let epochs = Math.min(minEpochs, maxEpochs); epochs * reduction <= maxEpochs; epochs *= reduction) rungs.push(epochs);
  return [...rungs, maxEpochs];
}

/**
 * Why \`trials\` trials leave halving's last rung untrained, or nothing when
 * one reaches it: a rung promotes the best one in η of the trials that
 * finished it, so rung k (from 0) holds at most ⌊trials / ηᵏ⌋ of them.
 */
export function lastRungUnreached(trials: number, rungs: readonly number[], reduction: number): { detail: string; hint: string } | undefined {
  const needed = reduction ** (rungs.length - 1);
  if (trials >= needed) return undefined;
  let reached = 0;
  while (trials >= reduction ** (reached + 1)) reached++;
  const most = reached === 0 ? `each trains only its first rung's ${plural(rungs[0]!, "epoch")}` : `the best train ${plural(rungs[reached]!, "epoch")}`;
  return {
    detail: `halving promotes one trial in ${reduction} to each next rung, so of ${trials} trials none reaches the last rung's ${plural(rungs.at(-1)!, "epoch")}: ${most}`,
    hint: `ask for at least ${needed} trials, raise \`min_epochs\` for fewer rungs, or use \`method random\``,
  };
}
