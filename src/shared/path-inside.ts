import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";

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
