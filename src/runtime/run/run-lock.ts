import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RunFolderError } from "./run-folder-error.js";
import { isProcessRunning } from "../../shared/process-running.js";
import { removeDeadWritersTemporaries } from "../../shared/write-file-atomically.js";

/** The file that says which process trains a run folder now; gone once it exits. */
export const RUN_LOCK_FILE = ".training.lock";

/**
 * Claims `folder` for this process until it exits: two processes training
 * one run folder (a `regc run --resume` of a run still going) would each
 * overwrite the other's checkpoints and history. A claim left by a process
 * that no longer runs (killed with -9) is taken over. Claiming also
 * removes the temporaries dead writers left mid-write anywhere in the
 * folder: some (an abandoned checkpoint generation's, a finished bagging
 * member's) are in folders the resumed run may never write into again.
 */
export function lockRunFolder(folder: string): void {
  const path = join(folder, RUN_LOCK_FILE);
  // Written whole beside it, then linked into place: a claim is never seen half written.
  const claim = `${path}.${process.pid}`;
  writeFileSync(claim, String(process.pid));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = link(claim, path);
      // A file system without hard links cannot hold the claim: training goes on without one.
      if (outcome === "unsupported") return claimed(folder);
      if (outcome === "linked") {
        process.once("exit", () => releaseClaim(path));
        return claimed(folder);
      }
      const holder = holderOf(path);
      if (holder !== undefined && holder !== process.pid && isProcessRunning(holder)) {
        throw new RunFolderError(`${folder} is being trained by process ${holder} now: let it finish, or stop it (Ctrl-C there) and resume then`);
      }
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(claim, { force: true });
  }
  throw new RunFolderError(`cannot claim ${folder}: other processes keep claiming it`);
}

let claimedFolder: string | undefined;

/** The run folder this process claimed, if any: where a run that failed can be continued from. */
export function claimedRunFolder(): string | undefined {
  return claimedFolder;
}

function claimed(folder: string): void {
  claimedFolder = folder;
  removeDeadWritersTemporaries(folder, { tree: true });
}

/** On exit: a claim that cannot be removed (the file system went read-only) names a process that no longer runs, which the next claim takes over. */
function releaseClaim(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Left stale, see above.
  }
}

/** Removes a claim on `folder` left by a process that no longer runs (killed with -9); a live process keeps its claim. */
export function removeStaleRunLock(folder: string): void {
  const path = join(folder, RUN_LOCK_FILE);
  const holder = holderOf(path);
  if (holder !== undefined && !isProcessRunning(holder)) rmSync(path, { force: true });
}

function link(claim: string, path: string): "linked" | "taken" | "unsupported" {
  try {
    linkSync(claim, path);
    return "linked";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return "taken";
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP") return "unsupported";
    throw error;
  }
}

/** The pid a lock file names; undefined when it is gone. */
function holderOf(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
