import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseWholeNumber } from "../shared/whole-number.js";
import type { Command } from "./command.js";
import { ExitCode } from "./exit-codes.js";
import { UsageError } from "./usage-error.js";

const DEFAULT_LOCK_SECONDS = 30;

export const workerCommand: Command = {
  name: "worker",
  help: `Usage: regc worker --queue URL [--concurrency N] [--lock-seconds N] [--reconnect-seconds N]

Take trials that \`regc ablate --queue URL\` put on the queue, run each as
\`regc run\` does on this machine, and send back its metrics and history.
Start as many workers as you like, on any machines that reach the Redis
server and have reglang installed: they share no files, a trial's spec and
data come with it. A worker that is killed mid-trial loses it to another
worker after --lock-seconds. Ctrl-C gives running trials back to the queue.

Options:
  --queue URL         redis://[USER:PASSWORD@]HOST[:PORT][/DB], or rediss://
                      for TLS
  --concurrency N     trials at once (default: one per core, here ${availableParallelism()});
                      a trial's bagging members share the cores left over
  --lock-seconds N    how long a silent worker keeps its trial before another
                      takes it over (default: ${DEFAULT_LOCK_SECONDS})
  --reconnect-seconds N
                      how long to wait for a Redis that went away to come
                      back before stopping (default: about 80)
  -h, --help          show this help

Exit codes: 2 bad URL, Redis unreachable or the connection lost,
130 stopped by Ctrl-C or SIGTERM.
`,
  flags: {
    "--queue": { kind: "value", meaning: "a redis:// or rediss:// URL" },
    "--concurrency": { kind: "value", meaning: "a whole number of trials" },
    "--lock-seconds": { kind: "value", meaning: "a number of seconds" },
    "--reconnect-seconds": { kind: "value", meaning: "a number of seconds" },
  },
  async run(args, output) {
    if (args.positionals.length > 0) throw new UsageError(`\`regc worker\` takes no files (it got ${args.positionals.join(" ")}); trials come from the queue`);
    const url = args.values.get("--queue");
    if (url === undefined) throw new UsageError("`regc worker` needs `--queue URL`, the Redis that `regc ablate --queue URL` uses");
    const concurrency = parseWholeNumber("--concurrency", args.values.get("--concurrency") ?? String(availableParallelism()), 1);
    const lockSeconds = positiveNumber("--lock-seconds", args.values.get("--lock-seconds") ?? String(DEFAULT_LOCK_SECONDS));
    const reconnectSeconds = args.values.has("--reconnect-seconds") ? positiveNumber("--reconnect-seconds", args.values.get("--reconnect-seconds")!) : undefined;
    const { parseRedisUrl, QueueError, reconnectAttemptsWithin, TrialWorker } = await import("../experiments/queue/index.js");

    const scratchRoot = mkdtempSync(join(tmpdir(), "reglang-worker-"));
    const log = (line: string) => output.stderr(`regc worker: ${line}\n`);
    try {
      const target = parseRedisUrl(url);
      const reconnectAttempts = reconnectSeconds === undefined ? undefined : reconnectAttemptsWithin(reconnectSeconds);
      const worker = await TrialWorker.start(target, { concurrency, lockMs: lockSeconds * 1000, scratchRoot, log, ...(reconnectAttempts !== undefined && { reconnectAttempts }) });
      log(`taking trials from ${target.display}, ${concurrency} at a time`);
      const stopped = await new Promise<"signal" | "lost">((resolve) => {
        process.once("SIGINT", () => resolve("signal"));
        process.once("SIGTERM", () => resolve("signal"));
        void worker.lost.then(() => resolve("lost"));
      });
      if (stopped === "lost") {
        await worker.stop();
        throw new UsageError(`lost the connection to the queue at ${target.display}; running trials go back to the queue for other workers`);
      }
      log("stopping: running trials go back to the queue");
      await worker.stop();
      return ExitCode.Interrupted;
    } catch (error) {
      if (error instanceof QueueError) throw new UsageError(error.message);
      throw error;
    } finally {
      rmSync(scratchRoot, { recursive: true, force: true });
    }
  },
};

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} needs a number of seconds above 0, not \`${text}\``);
  return value;
}
