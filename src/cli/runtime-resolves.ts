import { createRequire } from "node:module";
import { join } from "node:path";

/**
 * Whether Node finds `reglang/runtime`, the generated program's one import,
 * from a file in `folder`: reglang is installed there or in a folder above,
 * or `folder` lies inside the reglang package itself.
 */
export function runtimeResolvesFrom(folder: string): boolean {
  try {
    createRequire(join(folder, "program.mjs")).resolve("reglang/runtime");
    return true;
  } catch {
    return false;
  }
}
