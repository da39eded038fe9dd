/**
 * Ctrl-C during training: the first one asks the loop to finish its step,
 * checkpoint and stop; a second one quits at once, as users expect when a
 * step hangs.
 */
export class InterruptWatch {
  requested = false;
  private readonly onSignal = () => {
    if (this.requested) process.exit(130);
    this.requested = true;
    process.stderr.write("\nstopping after this step (Ctrl-C again to quit at once)…\n");
  };

  start(): void {
    process.on("SIGINT", this.onSignal);
  }

  stop(): void {
    process.off("SIGINT", this.onSignal);
  }
}
