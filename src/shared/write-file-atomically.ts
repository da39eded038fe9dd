import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isProcessRunning } from "./process-running.js";

let temporaries = 0;

/** `TARGET.<pid>.<n>.regc-tmp`: the temporary a writer of TARGET renames into place; the pid is its writer's. */
const TEMPORARY = /^.+\.([1-9]\d*)\.\d+\.regc-tmp$/;

/**
 * Folders this process has cleared of dead writers' temporaries: one
 * readdir per folder, not per write (checkpoints write several files per
 * epoch). Forgotten all at once when it grows large, since checkpoints make
 * new folders every epoch; a folder forgotten costs one more readdir.
 */
const cleared = new Set<string>();
const CLEARED_LIMIT = 4096;

/**
 * Writes beside the target, flushes to disk, then renames over it: a crash
 * or a full disk leaves either the old file or the new one, never half of
 * one. Keeps an existing file's permissions. The first write into a folder
 * removes the temporaries that writers killed mid-write left there.
 */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  const folder = dirname(path);
  if (!cleared.has(resolve(folder))) removeDeadWritersTemporaries(folder);
  // Same folder, so the rename never crosses file systems; pid and counter
  // keep concurrent writers of one path from sharing a temporary.
  const temporary = `${path}.${process.pid}.${temporaries++}.regc-tmp`;
  try {
    const file = openSync(temporary, "w", existingMode(path));
    try {
      writeFileSync(file, data);
      fsyncSync(file);
    } finally {
      closeSync(file);
    }
    renameSync(temporary, path);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // A file system gone read-only keeps it: the next writer into this folder removes it.
    }
    // Named by the file it was to become: the temporary is this function's own, and a write on an open file names none.
    if (error instanceof Error && "code" in error) (error as NodeJS.ErrnoException).path = path;
    throw error;
  }
  syncFolder(folder);
}

/**
 * Removes the temporaries in `folder` (with `tree`, in every folder under
 * it too) whose writer no longer runs: a process killed with -9, or a power
 * cut, leaves its temporary behind, and nothing else would ever remove it.
 * A live writer's are kept, whichever process it is: two processes may
 * write into one folder (an experiment's). So is one written since this
 * process started, unless `writersGone` says that every process that
 * could write there has ended (a finished trial's folder). Best effort: a
 * folder that cannot be read or a file that cannot be removed is left as
 * it is.
 */
export function removeDeadWritersTemporaries(folder: string, { tree = false, writersGone = false } = {}): void {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return;
  }
  if (cleared.size >= CLEARED_LIMIT) cleared.clear();
  cleared.add(resolve(folder));
  for (const entry of entries) {
    if (tree && entry.isDirectory()) removeDeadWritersTemporaries(join(folder, entry.name), { tree, writersGone });
    const writer = TEMPORARY.exec(entry.name)?.[1];
    const path = join(folder, entry.name);
    if (!entry.isFile() || writer === undefined || isProcessRunning(Number(writer)) || !(writersGone || writtenBeforeThisProcess(path))) continue;
    try {
      unlinkSync(path);
    } catch {
      // Gone already (another process cleared it), or not ours to remove.
    }
  }
}

/**
 * A writer in another pid namespace (a container sharing the folder) looks
 * dead from here; a temporary it is writing now is newer than this process.
 */
function writtenBeforeThisProcess(path: string): boolean {
  try {
    return statSync(path).mtimeMs < performance.timeOrigin;
  } catch {
    return false;
  }
}

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode;
  } catch {
    return undefined;
  }
}

/** Makes the rename itself durable. Windows cannot open a folder to sync it; there the rename stands alone. */
function syncFolder(folder: string): void {
  let handle: number | undefined;
  try {
    handle = openSync(folder, "r");
    fsyncSync(handle);
  } catch {
    // Best effort: see above.
  } finally {
    if (handle !== undefined) closeSync(handle);
  }
}
