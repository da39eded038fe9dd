import { readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import { join } from "node:path";

/** An entry of a folder as a walk sees it: a link is what it leads to. */
export interface ListedEntry {
  name: string;
  /** A folder, or a link to one; anything else (a file, a pipe, a dangling link) is not. */
  isFolder: boolean;
}

/**
 * Lists folders for one walk, each real folder once: a folder reached again
 * under another name (a linked folder, a link back up a tree) lists as
 * empty, so every file is found once, under the first name the walk reaches
 * it by, and a walk through a cycle of links ends. A folder's own entries
 * come before its links, each by name, so a file keeps its own path where a
 * link beside it leads to the same place. Both a folder given to a command
 * and a glob's matches are walked through one.
 */
export class FolderListing {
  private readonly listed = new Set<string>();

  entries(dir: string): ListedEntry[] {
    const real = realPath(dir);
    if (real === undefined || this.listed.has(real)) return [];
    this.listed.add(real);
    return direntsOf(dir)
      .sort((a, b) => Number(a.isSymbolicLink()) - Number(b.isSymbolicLink()) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((entry) => ({ name: entry.name, isFolder: isFolder(entry, join(dir, entry.name)) }));
  }
}

function realPath(dir: string): string | undefined {
  try {
    return realpathSync(dir);
  } catch {
    return undefined;
  }
}

/** A folder's entries; one that cannot be listed (no permission) holds nothing to find. */
function direntsOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isFolder(entry: Dirent, path: string): boolean {
  if (!entry.isSymbolicLink()) return entry.isDirectory();
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
