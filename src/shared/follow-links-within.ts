import { lstatSync, readlinkSync, type Stats } from "node:fs";
import { dirname, isAbsolute, join, parse, resolve, sep } from "node:path";
import { isInside, realPath } from "./path-inside.js";

/** Where a path leads: its real path and what is there, or no stats where nothing is (or links run in a cycle). */
export interface LinksFollowed {
  path: string;
  stats: Stats | undefined;
}

/** Links followed on one path before it is taken to lead nowhere: the kernel's own limit. */
const MOST_LINKS = 40;

/**
 * Where `path` leads, its links followed one step at a time as `realpath`
 * follows them, or undefined when a step leads out of `roots`. Nothing
 * outside them is looked at (only the folders above a root, on the way down
 * to it), so what lies outside cannot change the answer: a link to
 * `/etc/shadow`, one to a file that does not exist and one to `/root` lead
 * out alike. The path returned holds no link up to its first missing part,
 * so reading it reads what was judged.
 */
export function followLinksWithin(path: string, roots: readonly string[]): LinksFollowed | undefined {
  const bounds = roots.flatMap((root) => [resolve(root), realPath(root)]);
  const withinBounds = (at: string) => bounds.some((root) => isInside(at, root));
  const onTheWay = (at: string) => bounds.some((root) => isInside(at, root) || isInside(root, at));
  const absolute = resolve(path);
  const rest = partsOf(absolute);
  let at = parse(absolute).root;
  let links = 0;
  while (rest.length > 0) {
    const part = rest.shift()!;
    if (part === "..") at = dirname(at);
    if (part === ".." || part === ".") continue;
    const next = join(at, part);
    if (!onTheWay(next)) return undefined;
    const stats = lstatOf(next);
    if (stats?.isSymbolicLink()) {
      const target = ++links <= MOST_LINKS ? readLink(next) : undefined;
      if (target !== undefined) {
        rest.unshift(...partsOf(target));
        if (isAbsolute(target)) at = parse(target).root;
        continue;
      }
    }
    if (!stats || stats.isSymbolicLink()) {
      // Nothing there, or a cycle of links: the rest as written, judged on its own.
      const missing = join(next, ...rest);
      return withinBounds(missing) ? { path: missing, stats: undefined } : undefined;
    }
    at = next;
  }
  return withinBounds(at) ? { path: at, stats: lstatOf(at) } : undefined;
}

/** What separates a path's parts: on Windows either slash; elsewhere `\\` is a character of a name. */
const SEPARATOR = sep === "\\" ? /[\\/]/ : /\//;

function partsOf(path: string): string[] {
  return path.split(SEPARATOR).filter((part) => part !== "");
}

function lstatOf(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    // Not a folder on the way, no access, a name too long: nothing there to read.
    return undefined;
  }
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
