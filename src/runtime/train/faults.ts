/** Why a run ended before its last epoch; the CLI prints the message and exits with the code. */
export class TrainingStopped extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** Ended as the user asked (Ctrl-C, nothing left to train): printed as a notice, not an error. */
    readonly expected = false,
  ) {
    super(message);
    this.name = "TrainingStopped";
  }
}

/** Exit code of a run stopped by Ctrl-C: 128 + SIGINT, as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;
/** Exit code of a run whose loss stopped being a finite number. */
export const DIVERGED_EXIT_CODE = 5;

/** `phase`: the trainer's, `train` or early stopping's second phase (`retrain_all`, `continue_all`), whose epochs count from 1 again. */
export function interrupted(epoch: number, step: number, runFolder: string, phase = "train"): TrainingStopped {
  const where = phase === "train" ? `epoch ${epoch}, step ${step}` : `epoch ${epoch}, step ${step} of early stopping's \`then: ${phase}\` phase`;
  return new TrainingStopped(
    `interrupted after ${where}; checkpoint and history saved. Continue with: regc run --resume ${runFolder}`,
    INTERRUPTED_EXIT_CODE,
    true,
  );
}

/** `--resume` of a run that already trained all its epochs: nothing to do unless `--epochs` asks for more. */
export function alreadyFinished(runFolder: string, epochs: number | undefined): TrainingStopped {
  const more = epochs === undefined ? "" : ` To train on, resume with --epochs N, N > ${epochs}.`;
  return new TrainingStopped(`${runFolder} has finished training${epochs === undefined ? "" : ` (${epochs} epochs)`}; its results are in place.${more}`, 0, true);
}

/** Names where the loss went wrong and the usual reasons, most likely first. */
export function diverged(loss: number, quantity: string, when: string, learningRate: number, lastCheckpoint: string | undefined): TrainingStopped {
  const kept = lastCheckpoint ? `The last good checkpoint (${lastCheckpoint}) is kept.` : "No epoch had finished with finite losses, so there is no checkpoint.";
  return new TrainingStopped(
    `${quantity} became ${Number.isNaN(loss) ? "NaN" : loss > 0 ? "infinite" : "-infinite"} ${when}. ` +
      `Most likely the learning rate (${learningRate}) is too high for this model and data: try one ten times smaller, ` +
      `or add \`clip_norm 1\` to the train block. Unnormalized inputs (add \`normalize standard\`) and very large penalty weights do the same. ${kept}`,
    DIVERGED_EXIT_CODE,
  );
}
