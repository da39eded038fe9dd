import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir retries without end
 * where the kernel refuses a folder it also reports missing (`/proc/x`
 * spins a core); here each level is made once, and its error is thrown.
 */
export function makeFolders(path: string): void {
  const missing: string[] = [];
  let folder = resolve(path);
  for (;;) {
    const stats = statSync(folder, { throwIfNoEntry: false });
    if (stats) {
      if (!stats.isDirectory()) throw Object.assign(new Error(`not a folder: ${folder}`), { code: missing.length === 0 ? "EEXIST" : "ENOTDIR" });
      break;
    }
    missing.push(folder);
    if (dirname(folder) === folder) break;
    folder = dirname(folder);
  }
  for (const level of missing.reverse()) mkdirSync(level);
}
