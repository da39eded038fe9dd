import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";

/**
 * Folders outside a spec's project that data may be read from. Only the
 * person running the tools grants them (`--allow-data`, the editor's
 * `reglang.allowData` setting), never the spec: `regc check` runs on specs
 * written by whoever opens a pull request.
 */
export interface DataAccess {
  allowedFolders: readonly string[];
}

/** The spec's project: the nearest folder up from the spec's own that holds `package.json` or `.git`, else the spec's folder. */
export function projectFolder(specFolder: string): string {
  for (let folder = specFolder; ; folder = dirname(folder)) {
    if (existsSync(join(folder, "package.json")) || existsSync(join(folder, ".git"))) return folder;
    if (dirname(folder) === folder) return specFolder;
  }
}

/** Whether `path` is `folder` or lies below it; both absolute and normalized. */
export function isInside(path: string, folder: string): boolean {
  const rest = relative(folder, path);
  return !isAbsolute(rest) && rest.split(/[\\/]/)[0] !== "..";
}

/** Kernel pseudo-files: they report a size of 0, may never end, and hold the process's secrets (`/proc/self/environ`). */
const PSEUDO_FILESYSTEMS = ["/proc", "/sys", "/dev"];

export function isPseudoFile(realPath: string): boolean {
  return PSEUDO_FILESYSTEMS.some((root) => isInside(realPath, root));
}

/** The real path of an existing file or folder (links followed); the path itself when it cannot be resolved. */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
