/** Why a run ended before its last epoch; the CLI prints the message and exits with the code. */
export class TrainingStopped extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "TrainingStopped";
  }
}

/** Exit code of a run stopped by Ctrl-C: 128 + SIGINT, as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;
/** Exit code of a run whose loss stopped being a finite number. */
export const DIVERGED_EXIT_CODE = 5;

export function interrupted(epoch: number, step: number, runFolder: string): TrainingStopped {
  return new TrainingStopped(
    `interrupted after epoch ${epoch}, step ${step}; checkpoint and history saved. Continue with: regc run --resume ${runFolder}`,
    INTERRUPTED_EXIT_CODE,
  );
}

/** Names where the loss went wrong and the usual reasons, most likely first. */
export function diverged(loss: number, epoch: number, step: number, learningRate: number, lastCheckpoint: string | undefined): TrainingStopped {
  const kept = lastCheckpoint ? `The last good checkpoint (${lastCheckpoint}) is kept.` : "No epoch had finished, so there is no checkpoint.";
  return new TrainingStopped(
    `the training loss became ${Number.isNaN(loss) ? "NaN" : loss > 0 ? "infinite" : "-infinite"} at epoch ${epoch}, step ${step}. ` +
      `Most likely the learning rate (${learningRate}) is too high for this model and data: try one ten times smaller, ` +
      `or add \`clip_norm 1\` to the train block. Unnormalized inputs (add \`normalize standard\`) and very large penalty weights do the same. ${kept}`,
    DIVERGED_EXIT_CODE,
  );
}
