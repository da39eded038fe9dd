import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { FileSystemAdapter } from "tinyglobby";
import { FolderListing } from "./folder-listing.js";
import { UsageError } from "./usage-error.js";

const SKIPPED = ["**/node_modules/**"];
const SKIPPED_FOLDER = "node_modules";

/**
 * Turns the FILES of a command line into spec paths: a file as given, a
 * folder as every `*.reg` below it (skipping node_modules), and a glob as
 * its matches; folders and globs walk a linked folder once, and end at a
 * cycle of links. Each argument must yield at least one file.
 */
export async function expandFileArgs(args: readonly string[], command: string): Promise<string[]> {
  if (args.length === 0) throw new UsageError(`no files given: \`regc ${command} FILES…\` takes files, folders or globs`);
  // Keyed by absolute path, so one file named two ways (`./a.reg`, `specs/`) is checked once, under its first name.
  const paths = new Map<string, string>();
  for (const arg of args) {
    for (const path of await expandOne(arg)) if (!paths.has(resolve(path))) paths.set(resolve(path), path);
  }
  return [...paths.values()];
}

async function expandOne(arg: string): Promise<string[]> {
  const stats = statSync(arg, { throwIfNoEntry: false });
  if (stats && !stats.isDirectory()) return [arg];
  if (stats?.isDirectory()) {
    const found = specsBelow(arg);
    if (found.length === 0) throw new UsageError(`no .reg files in folder ${arg}`);
    return found;
  }
  // The glob library loads only for patterns: a command given files or folders never reads its code.
  const { globSync, isDynamicPattern } = await import("tinyglobby");
  if (isDynamicPattern(arg)) {
    const found = globSync(arg, { ignore: SKIPPED, expandDirectories: false, fs: listedFolders(new FolderListing()) });
    if (found.length === 0) throw new UsageError(`no files match ${arg}`);
    return found.sort();
  }
  throw new UsageError(`no such file or folder: ${arg}`);
}

/**
 * Every `*.reg` below a folder, sorted, skipping node_modules and hidden
 * entries as a glob does. Whatever is named `*.reg` and is not a folder is
 * listed, a dangling link or a named pipe too, so that reading it reports
 * it rather than passing over it.
 */
function specsBelow(folder: string): string[] {
  const listing = new FolderListing();
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of listing.entries(dir)) {
      if (entry.name.startsWith(".") || entry.name === SKIPPED_FOLDER) continue;
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
