import type { OutputDescription } from "../shared/model-metadata.js";
import type { TaskPrediction } from "./predictor.js";

/**
 * One example's output from each pass: the mean over passes (for a vote,
 * the vote of the members' mean probabilities, as training's own
 * Monte-Carlo predictions vote), and, when there are several passes, the
 * spread of each pass's values (or vote shares) around their own mean.
 */
export function describeOutput(output: OutputDescription, passes: readonly Float32Array[]): TaskPrediction {
  const voted = output.values === "votes";
  const perPass = voted ? passes.map((values) => voteShares(values, output)) : passes.map((values) => Array.from(values));
  const mean = voted ? voteShares(Float32Array.from(average(passes)), output) : average(perPass);
  const spread = perPass.length > 1 ? standardDeviations(perPass) : undefined;
  const base = { task: output.task, kind: output.kind, ...(spread && { spread }) };
  if (output.kind !== "classify") return { ...base, values: mean };
  const labels = output.labels ?? mean.map((_, k) => String(k));
  const best = mean.indexOf(Math.max(...mean));
  return { ...base, label: labels[best]!, probabilities: mean.map((probability, k) => ({ label: labels[k]!, probability })) };
}

function average(arrays: ReadonlyArray<ArrayLike<number>>): number[] {
  return Array.from(arrays[0]!, (_, i) => arrays.reduce((sum, values) => sum + values[i]!, 0) / arrays.length);
}

/** Each position's standard deviation over the arrays, around that position's mean over them. */
function standardDeviations(arrays: ReadonlyArray<ArrayLike<number>>): number[] {
  return average(arrays).map((mean, i) => Math.sqrt(arrays.reduce((sum, values) => sum + (values[i]! - mean) ** 2, 0) / arrays.length));
}

/** A vote's result from the members' probabilities side by side: each member's top class one vote, ties to the likelier class. */
function voteShares(values: Float32Array, output: OutputDescription): number[] {
  const members = output.members!;
  const tieBreak = output.voteTieBreak ?? 0;
  const classes = values.length / members;
  const shares = new Array<number>(classes).fill(0);
  for (let m = 0; m < members; m++) {
    const probabilities = values.subarray(m * classes, (m + 1) * classes);
    shares[probabilities.indexOf(Math.max(...probabilities))]! += 1;
    for (let k = 0; k < classes; k++) shares[k]! += (tieBreak * probabilities[k]!) / members;
  }
  return shares.map((share) => share / (members + tieBreak));
}
