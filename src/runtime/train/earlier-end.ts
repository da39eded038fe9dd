import { fewerEpochsThanCounted } from "../../shared/epochs-counted.js";
import { RunFolderError } from "../run/run-folder-error.js";
import type { Technique } from "./technique.js";
import type { TrainerState } from "./trainer.js";

/** A checkpoint a resumed run continues: where it is (for messages) and the state it holds. */
export interface ResumedCheckpoint {
  folder: string;
  state: TrainerState;
}

/**
 * A run resumed with fewer epochs than it has trained (or begun) would end
 * before its own checkpoint: its weights are later than the epochs asked
 * for, and its history would be cut. Refused, saying what may be asked:
 * the least count that works for every checkpoint given (each bagging
 * member's, a pretrained model's), whichever reached furthest.
 */
export function refuseEarlierEnd(checkpoints: readonly ResumedCheckpoint[], epochs: number): void {
  const short = checkpoints.filter(({ state }) => (leastEpochs(state) ?? 0) > epochs);
  if (short.length === 0) return;
  const least = Math.max(...short.map(({ state }) => leastEpochs(state)!));
  const stops = short.map(({ folder, state }) => `${folder} stopped ${where(state)}`).join(", ");
  throw new RunFolderError(`${stops}: --epochs ${epochs} would end before that; resume with --epochs ${least} or more, or without --epochs`);
}

/**
 * The fewest epochs a checkpoint may be resumed with: the epoch it stopped
 * after or in (a checkpoint at the end of its last epoch, as a finished
 * bagging member's, has nothing left to train, rightly). None in the second
 * phase of early stopping, or once early stopping ended training.
 */
function leastEpochs(state: TrainerState): number | undefined {
  return state.phase !== "train" || state.stopped !== undefined ? undefined : state.epoch;
}

function where(state: TrainerState): string {
  return state.epochEnded ? `after epoch ${state.epoch}` : `in epoch ${state.epoch} (${state.epoch - 1} finished)`;
}

/** `--epochs` fewer than a technique's clause needs: the user's mistake, named with the fix. */
export class TooFewEpochsError extends Error {
  override readonly name = "TooFewEpochsError";
}

/**
 * A technique that makes something at most once per epoch (a snapshot
 * ensemble's cycles) would make fewer of them in fewer epochs, silently:
 * the checker refuses that in the spec, and this refuses it from `--epochs`.
 */
export function refuseFewerEpochsThanCounted(techniques: readonly Technique[], epochs: number): void {
  const problem = fewerEpochsThanCounted(epochs, techniques.flatMap(({ perEpochCount }) => (perEpochCount ? [perEpochCount] : [])));
  if (problem !== undefined) throw new TooFewEpochsError(problem);
}
