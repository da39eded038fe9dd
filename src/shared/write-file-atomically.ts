import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

let temporaries = 0;

/**
 * Writes beside the target, flushes to disk, then renames over it: a crash
 * or a full disk leaves either the old file or the new one, never half of
 * one. Keeps an existing file's permissions.
 */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
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
    rmSync(temporary, { force: true });
    throw error;
  }
  syncFolder(dirname(path));
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
