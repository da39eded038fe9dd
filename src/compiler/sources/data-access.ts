import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

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
