import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { isMainThread } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { BACKEND_REQUESTS, BackendUnavailableError } from "../backend/select.js";
import { parseThreadCount } from "../backend/threads.js";
import { DataError } from "../data/dataset.js";
import { RunFolderError } from "../run/run-folder-error.js";
import { TooFewEpochsError } from "../train/earlier-end.js";
import { TrainingStopped } from "../train/faults.js";
import { MAX_SEED, parseWholeNumber, WholeNumberError } from "../../shared/whole-number.js";
import { fileFailureMessage } from "./file-failure.js";
import type { RunOptions, RunResult } from "./run.js";

/** A folder named relative to the generated file (`new URL("../examples/", import.meta.url)`), as a path. */
export function localPath(url: URL): string {
  return fileURLToPath(url);
}

/** Whether the module at `moduleUrl` is the program node was started with (`npx tsx a.ts`), not an import. */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  // A replica's thread imports the program too, and shares the process's argv.
  if (!script || !isMainThread) return false;
  try {
    return realpathSync(resolve(script)) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

const USAGE =
  `options: [--backend ${BACKEND_REQUESTS.join("|")}] [--threads N] [--replicas N] [--runs FOLDER] [--resume RUN_FOLDER] [--epochs N] [--seed N] [--workers N] [--resume RUN_FOLDER --member I]`;

/** Runs a generated program's `main` with options from its command line; problems become messages and exit codes. */
export async function runFromCommandLine(main: (options: RunOptions) => Promise<RunResult>): Promise<void> {
  let options: RunOptions;
  try {
    const { values } = parseArgs({
      options: {
        backend: { type: "string" },
        threads: { type: "string" },
        replicas: { type: "string" },
        runs: { type: "string" },
        resume: { type: "string" },
        epochs: { type: "string" },
        seed: { type: "string" },
        workers: { type: "string" },
        member: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    options = {
      ...(values.backend && { backend: backendRequest(values.backend) }),
      ...(values.threads !== undefined && { threads: parseThreadCount(values.threads, "--threads") }),
      ...(values.replicas !== undefined && { replicas: parseThreadCount(values.replicas, "--replicas") }),
      ...(values.runs && { runs: values.runs }),
      ...(values.resume && { resume: values.resume }),
      ...(values.epochs && { epochs: parseWholeNumber("--epochs", values.epochs, 1) }),
      ...(values.workers && { workers: parseWholeNumber("--workers", values.workers, 1) }),
      ...(values.member && { member: parseWholeNumber("--member", values.member, 1) }),
      ...(values.seed !== undefined && { seed: parseWholeNumber("--seed", values.seed, 0, MAX_SEED) }),
    };
  } catch (error) {
    process.stderr.write(`error: ${usageProblem(error as Error)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    await main(options);
  } catch (error) {
    const known = describeRunError(error);
    if (!known) throw error;
    process.stderr.write(`${known.expected ? "" : "error: "}${known.message}\n`);
    process.exitCode = known.exitCode;
  }
}

/**
 * A command line's problem in the words `regc run` uses: node's own say an
 * option's value is "missing" or "ambiguous" (a value that starts with `-`,
 * which node reads as an option).
 */
function usageProblem(error: Error): string {
  const option = /'(--[a-z-]+)/.exec(error.message)?.[1];
  if ((error as NodeJS.ErrnoException).code !== "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" || option === undefined) return error.message;
  return /ambiguous/.test(error.message) ? `option ${option} needs a value; write one that starts with - as ${option}=VALUE` : `option ${option} needs a value`;
}

/** `--backend`'s value, one of the backends the program knows. */
function backendRequest(value: string): string {
  if (!(BACKEND_REQUESTS as readonly string[]).includes(value)) throw new Error(`option --backend must be one of ${BACKEND_REQUESTS.join(", ")}, not ${value}`);
  return value;
}

/**
 * The message and exit code of an error a user can act on (`expected`: a
 * stop the user asked for, to print as a notice); undefined for a bug.
 */
export function describeRunError(error: unknown): { message: string; exitCode: number; expected: boolean } | undefined {
  if (error instanceof TrainingStopped) return { message: error.message, exitCode: error.exitCode, expected: error.expected };
  if (error instanceof DataError || error instanceof BackendUnavailableError || error instanceof WholeNumberError || error instanceof RunFolderError || error instanceof TooFewEpochsError) return { message: error.message, exitCode: 2, expected: false };
  const fileFailure = fileFailureMessage(error);
  return fileFailure === undefined ? undefined : { message: fileFailure, exitCode: 2, expected: false };
}
