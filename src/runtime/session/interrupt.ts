/**
 * SIGTERM is how `kill`, `timeout`, service managers and cancelled CI jobs
 * ask a process to end: a run answers it as it answers Ctrl-C, so it too
 * leaves a checkpoint to resume from.
 */
const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Ctrl-C during training: the first one asks the loop to finish its step,
 * checkpoint and stop; a second one quits at once, as users expect when a
 * step hangs. The process that started this one going away asks the same
 * stop as a first Ctrl-C, so no run trains on unwatched.
 */
export class InterruptWatch {
  requested = false;
  private listening = false;
  private readonly followers = new Set<(atOnce: boolean) => void>();
  /** Until training starts, why a stop ends the process at once. */
  private beforeTraining: string | undefined;
  /**
   * One listener from the first watch to the last: a signal that arrives
   * while the process is busy is delivered later, and one removed listener
   * (for another) would drop it unseen.
   */
  private readonly onSignal = () => {
    if (this.beforeTraining !== undefined) {
      process.stderr.write(`\nregc: ${this.beforeTraining}\n`);
      process.exit(130);
    }
    const atOnce = this.requested;
    this.requested = true;
    for (const follower of this.followers) follower(atOnce);
    if (atOnce) process.exit(130);
    process.stderr.write("\nstopping after this step (Ctrl-C again to quit at once)…\n");
  };

  /**
   * Until training starts ({@link start}), Ctrl-C stops at once, saying
   * `why` (that nothing was trained, or that a resumed folder is as it
   * was), instead of ending the process without a word.
   */
  watchBeforeTraining(why: string): void {
    this.beforeTraining = why;
    this.listen();
  }

  /** Starts watching; again (the next bagging member) changes nothing, so one Ctrl-C still counts once. */
  start(): void {
    this.beforeTraining = undefined;
    this.listen();
  }

  stop(): void {
    for (const signal of STOP_SIGNALS) process.off(signal, this.onSignal);
    this.listening = false;
  }

  private listen(): void {
    if (!this.listening) for (const signal of STOP_SIGNALS) process.on(signal, this.onSignal);
    this.listening = true;
  }

  /** Asks the stop a first Ctrl-C asks, without a message: there is no one left to read it. */
  requestQuietly(): void {
    if (this.requested) return;
    this.requested = true;
    for (const follower of this.followers) follower(false);
  }

  /** Calls `follower` on every stop asked from now on (`atOnce` for a second Ctrl-C): processes this one started pass it on. */
  follow(follower: (atOnce: boolean) => void): () => void {
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }
}
