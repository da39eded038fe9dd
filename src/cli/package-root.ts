import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The installed package's folder, found upward from this code's own file:
 * `dist/regc.js` in the bundle, `src/cli/` when run from source.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = readManifest(dir);
    if (manifest?.name === "reglang") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the reglang package.json above the regc code");
    dir = parent;
  }
}

export function packageVersion(): string {
  return readManifest(packageRoot())?.version ?? "unknown";
}

function readManifest(dir: string): { name?: string; version?: string } | undefined {
  const path = join(dir, "package.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string }) : undefined;
}
