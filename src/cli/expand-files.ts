import { lstatSync, statSync, type Stats } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { FileSystemAdapter } from "tinyglobby";
import { visiblePath } from "../compiler/diagnostics/render/visible-text.js";
import { FolderListing, isPassedOver } from "./folder-listing.js";
import { UsageError } from "./usage-error.js";

const SKIPPED = ["**/node_modules/**"];

/** The spec paths a command line names, and the links its walks did not follow out of the folders walked. */
export interface ExpandedFiles {
  paths: string[];
  skipped: SkippedLink[];
}

/** A link that leads out of the folder a walk was given: never read, whatever it leads to. */
export interface SkippedLink {
  link: string;
  walked: string;
}

/**
 * Turns the FILES of a command line into spec paths: a file as given (a
 * link anywhere: the user named it), a folder as every `*.reg` below it
 * (skipping node_modules), and a glob as its matches; folders and globs walk
 * a linked folder once, end at a cycle of links, and follow no link out of
 * the folder they walk. Each argument must yield at least one file.
 */
export async function expandFileArgs(args: readonly string[], command: string): Promise<ExpandedFiles> {
  if (args.length === 0) throw new UsageError(`no files given: \`regc ${command} FILES…\` takes files, folders or globs`);
  // Keyed by absolute path, so one file named two ways (`./a.reg`, `specs/`) is checked once, under its first name.
  const paths = new Map<string, string>();
  const skipped: SkippedLink[] = [];
  for (const arg of args) {
    const expanded = await expandOne(arg);
    for (const path of expanded.paths) if (!paths.has(resolve(path))) paths.set(resolve(path), path);
    skipped.push(...expanded.skipped);
  }
  return { paths: [...paths.values()], skipped };
}

/** `skipped LINK: …`, as `regc` prints it after `regc: warning: `. */
export function skippedLinkMessage({ link, walked }: SkippedLink): string {
  return `skipped ${visiblePath(link)}: it is a link out of ${walked === "." ? "the current folder" : visiblePath(walked)}, which a walk does not follow; name it to check what it leads to`;
}

async function expandOne(arg: string): Promise<ExpandedFiles> {
  const stats = statOf(arg);
  if (stats && !stats.isDirectory()) return { paths: [arg], skipped: [] };
  if (stats?.isDirectory()) {
    const listing = new FolderListing(arg);
    const found = specsBelow(arg, listing);
    if (found.length === 0) throw new UsageError(`no .reg files in folder ${visiblePath(arg)}`);
    return { paths: found, skipped: listing.linksOut.map((link) => ({ link, walked: arg })) };
  }
  // The glob library loads only for patterns: a command given files or folders never reads its code.
  const { globSync, isDynamicPattern } = await import("tinyglobby");
  if (isDynamicPattern(arg)) {
    const walked = staticFolder(arg, isDynamicPattern);
    const listing = new FolderListing(walked);
    const found = globSync(arg, { ignore: SKIPPED, expandDirectories: false, fs: listedFolders(listing) });
    if (found.length === 0) throw new UsageError(`no files match ${visiblePath(arg)}`);
    // The library lists folders by absolute path and names its matches from the working directory: so are the links.
    return { paths: found.sort(), skipped: listing.linksOut.map((link) => ({ link: relative(process.cwd(), link), walked })) };
  }
  throw new UsageError(`no such file or folder: ${visiblePath(arg)}`);
}

/** What a path names, links followed; a cycle of links is named as a file (reading it says what it is), a path through a file as nothing. */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    try {
      return lstatSync(path, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
  }
}

/**
 * The folder a glob walks: its parts up to the first with a wildcard, or a
 * brace or bracket that may hold a `/` (`specs` of `specs/**\/*.reg`).
 */
function staticFolder(pattern: string, isDynamicPattern: (part: string) => boolean): string {
  const parts = pattern.split("/");
  const end = parts.findIndex((part) => isDynamicPattern(part) || /[{}[\]()]/.test(part));
  const folder = parts.slice(0, end === -1 ? 0 : end).join("/");
  return folder === "" ? (pattern.startsWith("/") ? "/" : ".") : folder;
}

/**
 * Every `*.reg` below a folder, sorted, skipping node_modules and hidden
 * entries as a glob does. Whatever is named `*.reg` and is not a folder is
 * listed, a dangling link or a named pipe too, so that reading it reports
 * it rather than passing over it.
 */
function specsBelow(folder: string, listing: FolderListing): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of listing.entries(dir)) {
      if (isPassedOver(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isFolder) walk(path);
      else if (entry.name.endsWith(".reg")) found.push(path);
    }
  };
  walk(folder);
  return found.sort();
}

/**
 * The glob library's view of folders through a listing: links already
 * followed (a link is a folder or a file, never a link), and each real
 * folder listed once, as a folder's walk lists them.
 */
function listedFolders(listing: FolderListing): FileSystemAdapter {
  const readdirSync = (dir: string) => listing.entries(dir).map(({ name, isFolder }) => ({ name, isFile: () => !isFolder, isDirectory: () => isFolder, isSymbolicLink: () => false }));
  // The library calls it only as readdirSync(dir, { withFileTypes: true }) and reads these four members.
  return { readdirSync: readdirSync as unknown as FileSystemAdapter["readdirSync"] };
}
