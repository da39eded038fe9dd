import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { removeStaleRunLock } from "../runtime/run/run-lock.js";
import { removeDeadWritersTemporaries, writeFileAtomically } from "../shared/write-file-atomically.js";
import type { FinishedTrial } from "./engine.js";

/**
 * Files a finished trial's run folder as `trials/ID/` in its experiment's
 * folder: moved there when the trial ran here, written from its result
 * when it ran on another machine. Returns the path relative to the experiment.
 */
export function keepTrialFolder(experimentFolder: string, id: string, { result, runFolder }: FinishedTrial): string {
  const relative = join("trials", id);
  const target = join(experimentFolder, relative);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(experimentFolder, "trials"), { recursive: true });
  if (runFolder && existsSync(runFolder)) {
    renameSync(runFolder, target);
    // A run killed with SIGKILL could not let go of its folder, nor remove the temporary it was writing; a kept trial is no one's to train, so nothing would.
    removeStaleRunLock(target);
    removeDeadWritersTemporaries(target, { tree: true, writersGone: true });
  } else {
    mkdirSync(target, { recursive: true });
    if (result.metrics) writeFileAtomically(join(target, "metrics.json"), `${JSON.stringify(result.metrics, null, 2)}\n`);
    if (result.history) writeFileAtomically(join(target, "history.json"), `${JSON.stringify(result.history, null, 2)}\n`);
  }
  return relative;
}
