import type { EpochRecord, Metrics } from "./history.js";
import { LogProgress } from "./progress-log.js";
import { LineProgress } from "./progress-line.js";

/** What the training loop tells the person watching it. */
export interface ProgressReporter {
  epochStart(epoch: number, epochs: number, steps: number): void;
  /** After training step `step` (1-based) of the epoch; `loss` and `metrics` as the loop averages them so far. */
  step(step: number, loss: number, metrics: Metrics): void;
  epochEnd(record: EpochRecord): void;
  /** A line of its own (a checkpoint saved, early stopping), never mixed into the progress line. */
  message(text: string): void;
  finish(): void;
}

/** `process.stdout` or `process.stderr`, or a test's stand-in. */
export interface ProgressOutput {
  isTTY?: boolean;
  /** Terminal width; a longer progress line would wrap and `\r` could no longer redraw it. */
  columns?: number;
  write(text: string): unknown;
}

/**
 * A live progress line for a person at a terminal; one line per epoch for
 * logs and CI, where `\r` redraws would pile up as thousands of lines.
 */
export function createProgressReporter(
  output: ProgressOutput,
  env: NodeJS.ProcessEnv = process.env,
  nowMs: () => number = () => performance.now(),
): ProgressReporter {
  const ci = env["CI"] !== undefined && !["", "0", "false"].includes(env["CI"].toLowerCase());
  return output.isTTY && !ci ? new LineProgress(output, nowMs) : new LogProgress(output);
}
