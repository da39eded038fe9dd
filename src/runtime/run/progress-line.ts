import { formatEpochSummary, metricPairs } from "./epoch-summary.js";
import { formatDuration, formatMetric } from "./format-number.js";
import type { EpochRecord, Metrics } from "./history.js";
import type { ProgressOutput, ProgressReporter } from "./progress.js";

/** Redraws at most this often: faster is invisible and costs a write per step. */
export const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 20;
const CLEAR_LINE = "\r\x1b[2K";

/**
 * One line at a terminal, redrawn in place:
 * `epoch 3/60 [########............] 41/100  loss 0.4123  accuracy 0.8810  ETA 0:12`.
 * Each finished epoch leaves its summary line above it.
 */
export class LineProgress implements ProgressReporter {
  private epoch = 0;
  private epochs = 0;
  private steps = 0;
  private startedMs = 0;
  private lastDrawMs = Number.NEGATIVE_INFINITY;
  /** The line on screen now, if any: a message must clear it and put it back. */
  private shown: string | undefined;

  constructor(
    private readonly output: ProgressOutput,
    private readonly nowMs: () => number,
  ) {}

  epochStart(epoch: number, epochs: number, steps: number): void {
    [this.epoch, this.epochs, this.steps] = [epoch, epochs, steps];
    this.startedMs = this.nowMs();
    this.draw(this.line(0, ""));
  }

  step(step: number, loss: number, metrics: Metrics): void {
    const now = this.nowMs();
    if (now - this.lastDrawMs < REDRAW_INTERVAL_MS) return;
    const secondsLeft = ((now - this.startedMs) / 1000 / step) * (this.steps - step);
    // `loss` is the objective, regularization terms included; the metrics' own `loss` leaves them out.
    const { loss: _taskLoss, ...rest } = metrics;
    const values = [`loss ${formatMetric(loss)}`, ...metricPairs(rest, "")].join("  ");
    this.draw(this.line(step, `  ${values}  ETA ${formatDuration(secondsLeft)}`));
  }

  epochEnd(record: EpochRecord): void {
    this.output.write(`${CLEAR_LINE}${formatEpochSummary(record, this.epochs)}\n`);
    this.shown = undefined;
  }

  message(text: string): void {
    this.output.write(`${this.shown === undefined ? "" : CLEAR_LINE}${text}\n`);
    if (this.shown !== undefined) this.output.write(this.shown);
  }

  finish(): void {
    if (this.shown !== undefined) this.output.write(CLEAR_LINE);
    this.shown = undefined;
  }

  private line(step: number, tail: string): string {
    const filled = this.steps > 0 ? Math.round((step / this.steps) * BAR_WIDTH) : 0;
    const bar = `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}]`;
    return `epoch ${this.epoch}/${this.epochs} ${bar} ${step}/${this.steps}${tail}`;
  }

  private draw(line: string): void {
    // Kept within the terminal: a wrapped line cannot be redrawn by `\r`.
    const fitted = this.output.columns ? line.slice(0, this.output.columns - 1) : line;
    this.shown = `${CLEAR_LINE}${fitted}`;
    this.output.write(this.shown);
    this.lastDrawMs = this.nowMs();
  }
}
