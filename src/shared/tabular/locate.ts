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

/** The file a data path names inside an installed package, when it names one. */
export function locatePackageFile(path: string, specFolder: string): LocatedFile | undefined {
  return searchPackages(path, specFolder, []);
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
  const match = PACKAGE_PATH.exec(path);
  if (!match) return undefined;
  const name = match[1]!;
  const rest = match[2]!;
  // A trailing separator makes createRequire start from that folder itself.
  for (const origin of [specFolder + sep, import.meta.url]) {
    const folders = createRequire(origin).resolve.paths(name) ?? [];
    const packageFolder = folders.map((folder) => join(folder, name)).find((folder) => fileStats(join(folder, "package.json")));
    if (!packageFolder) continue;
    const file = join(packageFolder, rest);
    if (!looked.includes(file)) looked.push(file);
    const stats = fileStats(file);
    if (stats) return { file, stats, fromPackage: true, packageFolder };
  }
  if (looked.length === 1) looked.push(`an installed package \`${name}\` (none found)`);
  return undefined;
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
