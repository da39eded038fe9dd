import { readdirSync, realpathSync, type Dirent } from "node:fs";
import { join } from "node:path";
import { followLinksWithin } from "../shared/follow-links-within.js";
import { isInside, realPath } from "../shared/path-inside.js";

/** An entry of a folder as a walk sees it: a link is what it leads to. */
export interface ListedEntry {
  name: string;
  /** A folder, or a link to one; anything else (a file, a pipe, a dangling link) is not. */
  isFolder: boolean;
}

/** What a walk passes over, as a glob does: hidden entries and installed packages. */
export function isPassedOver(name: string): boolean {
  return name.startsWith(".") || name === "node_modules";
}

/**
 * Lists folders for one walk below one folder, each real folder once: a
 * folder reached again under another name (a linked folder, a link back up a
 * tree) lists as empty, so every file is found once, under the first name
 * the walk reaches it by, and a walk through a cycle of links ends. A
 * folder's own entries come before its links, each by name, so a file keeps
 * its own path where a link beside it leads to the same place. A link is
 * followed only while its real path stays inside the walked folder: one that
 * leads out is left out, unread, whatever lies at its end, and kept in
 * `linksOut`, so that a folder of specs from a pull request cannot make a
 * command read or rewrite files elsewhere. Both a folder given to a command
 * and a glob's matches are walked through one.
 */
export class FolderListing {
  private readonly listed = new Set<string>();
  private readonly root: string;
  /** The links that lead out of the walked folder, as the walk named them. */
  readonly linksOut: string[] = [];

  constructor(walked: string) {
    this.root = realPath(walked);
  }

  entries(dir: string): ListedEntry[] {
    const real = realPathOf(dir);
    if (real === undefined || !isInside(real, this.root) || this.listed.has(real)) return [];
    this.listed.add(real);
    const entries: ListedEntry[] = [];
    for (const entry of direntsOf(dir).sort((a, b) => Number(a.isSymbolicLink()) - Number(b.isSymbolicLink()) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (!entry.isSymbolicLink()) {
        entries.push({ name: entry.name, isFolder: entry.isDirectory() });
        continue;
      }
      const led = followLinksWithin(join(dir, entry.name), [this.root]);
      if (led) entries.push({ name: entry.name, isFolder: led.stats?.isDirectory() === true });
      else if (!isPassedOver(entry.name)) this.linksOut.push(join(dir, entry.name));
    }
    return entries;
  }
}

/** A folder's real path; none for one that is gone (a folder can vanish while it is walked). */
function realPathOf(dir: string): string | undefined {
  try {
    return realpathSync(dir);
  } catch {
    return undefined;
  }
}

/** A folder's entries; one that cannot be listed (no permission, gone) holds nothing to find. */
function direntsOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
