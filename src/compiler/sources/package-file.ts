import { join, sep } from "node:path";
import manifest from "../../../package.json" with { type: "json" };
import { followLinksWithin } from "../../shared/follow-links-within.js";
import { isInside, realPath } from "../../shared/path-inside.js";
import { nodeModulesFolders, packagePath, type LocatedFile } from "../../shared/tabular/index.js";

/** reglang's own dependencies (vega-datasets): where regc is installed, they are as much regc's as its code. */
const OWN_PACKAGES = new Set(Object.keys(manifest.dependencies));

/** The file found in a package, the reason it may not be read, or undefined where no package holds it. */
export type PackageFileSearch = { found: LocatedFile } | { refused: string } | undefined;

/**
 * The file a `PACKAGE/FILE` data path names inside an installed package. The
 * spec's packages are looked for only in node_modules folders inside `roots`
 * (its project and the allowed folders), where a pull request may commit a
 * link: a package folder whose links lead out of them is refused, whatever
 * lies at their end, and a node_modules that is such a link is not looked
 * in. Then reglang's own dependencies are looked for where regc is
 * installed, which no spec chooses: a checkout whose node_modules is a link
 * to elsewhere still reads vega-datasets.
 */
export function findPackageFile(path: string, specFolder: string, roots: readonly string[]): PackageFileSearch {
  const parts = packagePath(path);
  if (!parts) return undefined;
  let refused: PackageFileSearch;
  // A trailing separator makes node's search start from that folder itself.
  for (const modules of nodeModulesFolders(parts.name, specFolder + sep)) {
    // Neither a node_modules above the project nor one that is a link out of it is looked in: what it holds lies outside.
    if (!roots.some((root) => isInside(modules, root)) || !followLinksWithin(modules, roots)) continue;
    const led = followLinksWithin(join(modules, parts.name), roots);
    if (!led) {
      refused = { refused: `outside the spec's project, in a package \`${parts.name}\` linked in from outside` };
      break;
    }
    if (!led.stats?.isDirectory() || !isFileWithin(join(led.path, "package.json"), led.path)) continue;
    // The nearest folder holding the package is the one node loads; a file it lacks may still be in reglang's own.
    const search = fileInPackage(led.path, parts.name, parts.rest);
    if (search) return search;
    break;
  }
  return ownPackageFile(parts.name, parts.rest) ?? refused;
}

/** The file inside one of reglang's own dependencies, found as regc itself finds them. */
function ownPackageFile(name: string, rest: string): PackageFileSearch {
  if (!OWN_PACKAGES.has(name)) return undefined;
  const installed = nodeModulesFolders(name, import.meta.url)
    .map((modules) => join(modules, name))
    .find((folder) => isFileWithin(join(folder, "package.json"), folder));
  return installed === undefined ? undefined : fileInPackage(realPath(installed), name, rest);
}

/** The file at `rest` inside a package's real folder, links followed only inside it. */
function fileInPackage(packageFolder: string, name: string, rest: string): PackageFileSearch {
  const led = followLinksWithin(join(packageFolder, rest), [packageFolder]);
  if (!led) return { refused: `outside the package it names (\`${name}\`)` };
  return led.stats?.isFile() ? { found: { file: led.path, stats: led.stats, fromPackage: true, packageFolder } } : undefined;
}

function isFileWithin(path: string, folder: string): boolean {
  return followLinksWithin(path, [folder])?.stats?.isFile() === true;
}
