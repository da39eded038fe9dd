import type { Combine } from "../ensemble/combine.js";

/**
 * §7.11, Breiman (1996): `members` models, each trained from its own
 * initial weights on its own bootstrap resample of the training split, and
 * their predictions combined. Not a hook of one training loop but a loop
 * over several: the generated `main` trains each member of
 * `run.ensemble(bagging(…), data)` and ends with `run.finishEnsemble`.
 */
export interface BaggingPlan {
  label: string;
  members: number;
  combine: Combine;
}

export function bagging(options: { members: number; combine: Combine }): BaggingPlan {
  const { members, combine } = options;
  if (!Number.isInteger(members) || members < 1) throw new Error(`bagging: members must be a whole number ≥ 1, not ${members}`);
  return { label: `bagging(members: ${members}, combine: ${combine})`, members, combine };
}
