import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { shellWord } from "../../shared/shell-word.js";
import { checkpointState } from "../run/checkpoint.js";
import { isRecordedProgram } from "../run/program-digest.js";
import { sha256 } from "../run/sha256.js";
import { RunFolderError } from "../run/run-folder-error.js";
import { readRunRecord, type RunRecord } from "../run/run-record.js";
import { refuseEarlierEnd, type ResumedCheckpoint } from "../train/earlier-end.js";
import { alreadyFinished } from "../train/faults.js";
import type { TrainerState } from "../train/trainer.js";
import { trainerStateProblem } from "../train/trainer-state.js";
import type { RunIdentity, RunOptions } from "./run.js";

/** What `--resume` continues with: the run's record, its options as started (unless given again), and its spec. */
export interface Continuation {
  record: RunRecord;
  /** `run.json` as the resume found it, to put back should the run be refused before it trains. */
  found: RunRecord;
  options: RunOptions;
  specText: string | undefined;
  /** The run had finished and `--epochs` asks for more: everything in it trains on. */
  trainsOn: boolean;
}

/**
 * Checks that `folder` is a run of this very program with a checkpoint to
 * continue, which `--epochs` does not end before (any of a bagging run's
 * members' checkpoints), and works out the options to continue it with.
 * Throws a RunFolderError saying what is wrong, or a notice when the run
 * has finished and `--epochs` asks for no more.
 */
export function continuation(folder: string, identity: RunIdentity, options: RunOptions, code: string | undefined): Continuation {
  if (!isFolder(folder)) throw new RunFolderError(`${folder} is not a folder: --resume takes a run folder made by \`regc run\``);
  const record = readRunRecord(folder);
  const restart = `start a new run instead: ${restartCommand(folder, record.spec)}`;
  if (record.spec !== identity.spec) throw new RunFolderError(`${folder} is a run of ${record.spec}, not of ${identity.spec}: a run continues only with the program it started with`);
  if (options.seed !== undefined && options.seed !== record.seed) throw new RunFolderError(`${folder} started with seed ${record.seed}, not ${options.seed}: a run continues with the seed it started with; ${restart}`);
  if (!isRecordedProgram(code, record.programSha256)) {
    throw new RunFolderError(`the program differs from the one ${folder} started with (run.json records its SHA-256): an edited program cannot continue this run; ${restart}`);
  }
  const specText = record.specFile && storedSpec(folder, record.specFile);
  const checkpointed = checkpointFolders(folder);
  if (checkpointed.length === 0) throw noCheckpoint(folder, record.spec);
  const finishedEpochs = record.finished?.epochs;
  if (record.finished && !(options.epochs !== undefined && typeof finishedEpochs === "number" && options.epochs > finishedEpochs)) {
    throw alreadyFinished(folder, finishedEpochs ?? undefined);
  }
  // Before any member trains, so that the count quoted is one every member (and a pretrained model) can take.
  if (options.epochs !== undefined) refuseEarlierEnd(resumedCheckpoints(checkpointed), options.epochs);
  const kept = {
    ...record.options,
    ...(options.epochs !== undefined && { epochs: options.epochs }),
    ...(options.backend !== undefined && { backend: options.backend }),
    ...(options.threads !== undefined && { threads: options.threads }),
    ...(options.replicas !== undefined && { replicas: options.replicas }),
  };
  const { finished: _finished, ...unfinished } = record;
  return { record: { ...unfinished, options: kept }, found: record, options: { ...options, ...kept }, specText, trainsOn: record.finished !== undefined };
}

export function noCheckpoint(folder: string, spec: string): RunFolderError {
  return new RunFolderError(
    `${folder} has no checkpoint: the run stopped before writing its first (one is written at the end of each epoch, and on Ctrl-C after a step). ` +
      `There is nothing to continue; start it again: ${restartCommand(folder, spec)}`,
  );
}

/** `regc run SPEC`, with the `--runs` the run folder lies in where that is not the default `runs` here: a new run beside this one. */
function restartCommand(folder: string, spec: string): string {
  const runs = dirname(resolve(folder));
  return runs === resolve("runs") ? `regc run ${shellWord(spec)}` : `regc run ${shellWord(spec)} --runs ${shellWord(relative(process.cwd(), runs) || ".")}`;
}

/** The spec copy in the folder, as the run started with it: an edited copy is refused. */
function storedSpec(folder: string, specFile: NonNullable<RunRecord["specFile"]>): string {
  const path = join(folder, specFile.name);
  let text: string;
  try {
    if (!lstatSync(path).isFile()) throw new Error("not a regular file");
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new RunFolderError(`${path}, the spec this run started with, cannot be read (${(error as Error).message}); run.json names it`);
  }
  if (sha256(text) !== specFile.sha256) throw new RunFolderError(`${path} was edited after the run started (run.json records another SHA-256): restore it, or start a new run`);
  return text;
}

/** The folders with a checkpoint: the run's own, and its bagging members' and pretrained models' sub-folders. */
export function checkpointFolders(folder: string): string[] {
  const subFolders = readdirSync(folder).filter((entry) => /^(member-\d+|pretrained-.+)$/.test(entry)).sort(byNumber).map((entry) => join(folder, entry));
  return [folder, ...subFolders].filter((candidate) => existsSync(join(candidate, "checkpoint")));
}

/** Each checkpoint's training state, where it is intact: a damaged one is reported when it is loaded. */
function resumedCheckpoints(folders: readonly string[]): ResumedCheckpoint[] {
  return folders.flatMap((folder) => {
    const state = checkpointState(folder, trainerStateProblem);
    return state === undefined ? [] : [{ folder, state: state as TrainerState }];
  });
}

/** `member-2` before `member-10`. */
function byNumber(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
