import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "./usage-error.js";

const SKIPPED = ["**/node_modules/**"];

/**
 * Turns the FILES of a command line into spec paths: a file as given, a
 * folder as every `*.reg` below it (skipping node_modules), and a glob as
 * its matches. Each argument must yield at least one file.
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
  // The glob library loads only for folders and patterns: a command given files never reads its code.
  const { globSync, isDynamicPattern } = await import("tinyglobby");
  if (stats?.isDirectory()) {
    const found = globSync("**/*.reg", { cwd: arg, ignore: SKIPPED, expandDirectories: false });
    if (found.length === 0) throw new UsageError(`no .reg files in folder ${arg}`);
    return found.sort().map((relative) => join(arg, relative));
  }
  if (isDynamicPattern(arg)) {
    const found = globSync(arg, { ignore: SKIPPED, expandDirectories: false });
    if (found.length === 0) throw new UsageError(`no files match ${arg}`);
    return found.sort();
  }
  throw new UsageError(`no such file or folder: ${arg}`);
}
