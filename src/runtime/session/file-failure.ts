import { describeFailedFileOperation } from "../../shared/describe-io-error.js";
import { checkpointState } from "../run/checkpoint.js";
import { claimedRunFolder } from "../run/run-lock.js";
import { checkpointFolders } from "./resume.js";

/** What to do about the errors a file system gives for reasons of its own rather than reglang's, by code. */
const REMEDIES: Record<string, string> = {
  ENOSPC: "free space",
  EDQUOT: "free space within your quota",
  EROFS: "make the file system writable",
  EACCES: "fix the permissions",
  EPERM: "fix the permissions",
};

/**
 * A run stopped by its file system (full, read-only, not permitted): the
 * file it could not write and why, what to do, and how to go on: with
 * `--resume` from the run folder's last checkpoint, which a failed write
 * leaves intact, or by starting again where there is none yet. Undefined
 * for any other error, a file error of another kind (a file gone missing)
 * included: that is reglang's to explain.
 */
export function fileFailureMessage(error: unknown): string | undefined {
  const remedy = REMEDIES[(error as NodeJS.ErrnoException | undefined)?.code ?? ""];
  const failed = describeFailedFileOperation(error);
  if (remedy === undefined || failed === undefined) return undefined;
  const folder = claimedRunFolder();
  if (folder === undefined) return `${failed}; ${remedy}`;
  return `${failed}; ${remedy} and ${hasCheckpoint(folder) ? `continue with regc run --resume ${folder}` : "start the run again: it has no checkpoint yet"}`;
}

/** Whether `--resume` finds a checkpoint to continue from: one intact in the run's folder or a sub-folder's (a bagging member's, a pretrained model's). */
function hasCheckpoint(folder: string): boolean {
  try {
    return checkpointFolders(folder).some((candidate) => checkpointState(candidate, () => undefined) !== undefined);
  } catch {
    // A folder that cannot be read now: say what would continue it.
    return true;
  }
}
