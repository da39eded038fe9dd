/**
 * Ctrl-C during training: the first one asks the loop to finish its step,
 * checkpoint and stop; a second one quits at once, as users expect when a
 * step hangs.
 */
export class InterruptWatch {
  requested = false;
  private watching = false;
  private readonly onSignal = () => {
    if (this.requested) process.exit(130);
    this.requested = true;
    process.stderr.write("\nstopping after this step (Ctrl-C again to quit at once)…\n");
  };

  /** Starts watching; again (the next bagging member) changes nothing, so one Ctrl-C still counts once. */
  start(): void {
    if (!this.watching) process.on("SIGINT", this.onSignal);
    this.watching = true;
  }

  stop(): void {
    process.off("SIGINT", this.onSignal);
    this.watching = false;
  }
}
