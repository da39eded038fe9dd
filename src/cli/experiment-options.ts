import { rmSync } from "node:fs";
import type { TrialEngine } from "../experiments/engine.js";
import { EngineUnavailable, openEngine } from "../experiments/open-engine.js";
import { QueueConnectionLost, type QueueError } from "../experiments/queue/queue-error.js";
import { parseRedisUrl } from "../experiments/queue/redis-url.js";
import { parseWholeNumber } from "../shared/whole-number.js";
import type { FlagTable, ParsedArgs } from "./args.js";
import { BACKEND_FLAG } from "./backend-option.js";
import type { Output } from "./command.js";
import { ExitCode } from "./exit-codes.js";
import { UsageError } from "./usage-error.js";

/** What `regc ablate` and `regc tune` share: where their trials run, and how Ctrl-C stops them. */

/** The flags that choose where trials run: the same table entries for every experiment command. */
export const ENGINE_FLAG_TABLE: FlagTable = {
  "--workers": { kind: "value", meaning: "a number of worker processes" },
  "--queue": { kind: "value", meaning: "a Redis URL, redis://HOST:PORT[/DB]" },
  "--queue-max-file-mb": { kind: "value", meaning: "a whole number of MiB" },
  "--backend": BACKEND_FLAG,
};

/** Those flags' lines in `ablate`'s and `tune`'s help, whose options align at the same column. */
export const ENGINE_FLAGS_HELP = `  --workers N        trials at once on this machine (default: one per core);
                     a trial's bagging members share the cores left over
  --queue URL        put trials on a queue on Redis for \`regc worker\`s instead
                     of running them here: redis://[USER:PASSWORD@]HOST[:PORT][/DB],
                     or rediss:// for TLS (see \`regc worker --help\`)
  --queue-max-file-mb N
                     the largest data file a trial carries through the queue
                     (default 64); larger ones stop the experiment before any
                     trial is queued
  --backend NAME     the backend every trial uses, as \`regc run --backend\`:
                     tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu, or tensorflow`;

/** The exit codes of `ablate` and `tune`, as their help says them. */
export const EXPERIMENT_EXIT_CODES_HELP = `Exit codes: 0 finished (failed or diverged trials are reported in the
table), 1 the spec has errors, 2 usage or I/O error, or every trial failed
(the backend cannot start here, say), 130 interrupted.`;

export interface EngineFlags {
  workers?: number;
  queue?: string;
  queueMaxFileMb?: number;
}

/** `--workers`, `--queue` and `--queue-max-file-mb`, validated. */
export function engineFlags(args: ParsedArgs): EngineFlags {
  const workers = args.values.has("--workers") ? parseWholeNumber("--workers", args.values.get("--workers")!, 1, 1024) : undefined;
  const queue = args.values.get("--queue");
  const queueMaxFileMb = args.values.has("--queue-max-file-mb") ? parseWholeNumber("--queue-max-file-mb", args.values.get("--queue-max-file-mb")!, 1, 512) : undefined;
  if (queueMaxFileMb !== undefined && queue === undefined) throw new UsageError("--queue-max-file-mb limits files sent through a queue: it goes with --queue URL");
  return { ...(workers !== undefined && { workers }), ...(queue !== undefined && { queue, queueMaxFileMb }) };
}

/** The experiment's engine; a fresh experiment folder that cannot start one is removed, so it leaves nothing behind. */
export async function openExperimentEngine(folder: string, flags: EngineFlags, freshFolder: boolean): Promise<TrialEngine> {
  try {
    return await openEngine({ folder, ...flags });
  } catch (error) {
    if (freshFolder) rmSync(folder, { recursive: true, force: true });
    if (error instanceof EngineUnavailable) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * The command that continues the experiment in `folder` where it ran: the
 * folder does not keep the queue's URL, which may hold a password, so the
 * command gives it again (its password hidden); without it the trials the
 * workers finished would run again here.
 */
export function resumeCommand(command: "ablate" | "tune", folder: string, flags: EngineFlags): string {
  const queue = flags.queue === undefined ? "" : ` --queue ${parseRedisUrl(flags.queue).display}`;
  return `regc ${command} --resume ${folder}${queue}`;
}

/** A queue's failure as one line for the user; a connection lost mid-experiment says how to go on once Redis is back. */
export function queueFailure(error: QueueError, resume: string): UsageError {
  if (!(error instanceof QueueConnectionLost)) return new UsageError(error.message);
  return new UsageError(`${error.message}; finished trials are kept: continue with \`${resume}\` once it answers again`);
}

/** SIGTERM (`kill`, `timeout`, a cancelled CI job) stops an experiment as Ctrl-C does. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** The first Ctrl-C or SIGTERM aborts the signal (finished trials are kept); a second quits at once. */
export function stopOnCtrlC(output: Output, kept: string): { signal: AbortSignal; release(): void } {
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(ExitCode.Interrupted);
    output.stderr(`\nstopping: ${kept} are kept (Ctrl-C again to quit at once)…\n`);
    interrupt.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return { signal: interrupt.signal, release: () => STOP_SIGNALS.forEach((signal) => process.off(signal, onSignal)) };
}
