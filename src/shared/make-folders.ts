import { mkdirSync, rmdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir retries without end
 * where the kernel refuses a folder it also reports missing (`/proc/x`
 * spins a core), and reports a read-only file system as ENOENT; here each
 * level is made once, and its own error is thrown.
 * Returns the folders it made, outermost first.
 */
export function makeFolders(path: string): string[] {
  const missing: string[] = [];
  let folder = resolve(path);
  for (;;) {
    const stats = statSync(folder, { throwIfNoEntry: false });
    if (stats) {
      if (!stats.isDirectory()) throw Object.assign(new Error(`not a folder: ${folder}`), { code: missing.length === 0 ? "EEXIST" : "ENOTDIR", path: folder });
      break;
    }
    missing.push(folder);
    if (dirname(folder) === folder) break;
    folder = dirname(folder);
  }
  const made = missing.reverse();
  for (const level of made) mkdirSync(level);
  return made;
}

/** Removes those of `made` (outermost first) that are empty now, innermost first: a command leaves no empty folder it made. */
export function removeEmptyFolders(made: readonly string[]): void {
  for (const folder of [...made].reverse()) {
    try {
      rmdirSync(folder);
    } catch {
      // Not empty (or gone): the folders around it are not either.
      return;
    }
  }
}
