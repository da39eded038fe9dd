import { formatEpochSummary } from "./epoch-summary.js";
import type { EpochRecord } from "./history.js";
import type { ProgressOutput, ProgressReporter } from "./progress.js";

/** One line per epoch and per message: for logs, pipes and CI. */
export class LogProgress implements ProgressReporter {
  private epochs = 0;

  constructor(private readonly output: ProgressOutput) {}

  epochStart(_epoch: number, epochs: number): void {
    this.epochs = epochs;
  }

  step(): void {}

  epochEnd(record: EpochRecord): void {
    this.output.write(`${formatEpochSummary(record, this.epochs)}\n`);
  }

  message(text: string): void {
    this.output.write(`${text}\n`);
  }

  finish(): void {}
}
