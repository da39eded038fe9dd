import { statSync, type Stats } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve, sep } from "node:path";

/** `@scope/name/rest` or `name/rest`: a path that may lie inside an installed package. */
const PACKAGE_PATH = /^((?:@[^/]+\/)?[^/@.][^/]*)\/(.+)$/;

export interface LocatedFile {
  file: string;
  stats: Stats;
  fromPackage: boolean;
  /** The installed package's folder, when the file was found in one. */
  packageFolder?: string;
}

/** Where a data path was found, if anywhere, and every place looked, for a "not found" message. */
export interface DataFileSearch {
  found: LocatedFile | undefined;
  looked: string[];
}

/** The file a data path names: beside the spec first, then inside an installed package. */
export function locateDataFile(path: string, specFolder: string): LocatedFile | undefined {
  return searchDataFile(path, specFolder).found;
}

export function searchDataFile(path: string, specFolder: string): DataFileSearch {
  const beside = resolve(specFolder, path);
  const looked = [beside];
  const besideStats = fileStats(beside);
  if (besideStats) return { found: { file: beside, stats: besideStats, fromPackage: false }, looked };
  return { found: searchPackages(path, specFolder, looked), looked };
}

/**
 * Looks for the package the way node does, from the spec's folder and then
 * from this module's own location, and joins the rest of the path to the
 * package's folder. Resolving `NAME/rest` through `require.resolve` would
 * obey the package's `exports` map, which (as in vega-datasets) need not
 * list its data files, or even its package.json.
 */
function searchPackages(path: string, specFolder: string, looked: string[]): LocatedFile | undefined {
  const parts = packagePath(path);
  if (!parts) return undefined;
  // A trailing separator makes createRequire start from that folder itself.
  for (const origin of [specFolder + sep, import.meta.url]) {
    const packageFolder = nodeModulesFolders(parts.name, origin)
      .map((folder) => join(folder, parts.name))
      .find((folder) => fileStats(join(folder, "package.json")));
    if (!packageFolder) continue;
    const file = join(packageFolder, parts.rest);
    if (!looked.includes(file)) looked.push(file);
    const stats = fileStats(file);
    if (stats) return { file, stats, fromPackage: true, packageFolder };
  }
  if (looked.length === 1) looked.push(`an installed package \`${parts.name}\` (none found)`);
  return undefined;
}

/** `NAME/rest` as the package it may lie in and the path inside it; undefined for a path that names no package. */
export function packagePath(path: string): { name: string; rest: string } | undefined {
  const match = PACKAGE_PATH.exec(path);
  return match ? { name: match[1]!, rest: match[2]! } : undefined;
}

/** The node_modules folders node looks for a package in from `origin` (a folder ending in a separator, or a module's URL), nearest first. */
export function nodeModulesFolders(name: string, origin: string): string[] {
  return createRequire(origin).resolve.paths(name) ?? [];
}

/** The file's stats, or undefined for anything that is not a readable path to a file (too long, a folder, no access…). */
function fileStats(path: string): Stats | undefined {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats?.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}
