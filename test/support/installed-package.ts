import { createRequire } from "node:module";

/** Whether a package resolves from the tests: an optional backend binding is installed only on some machines. */
export function isInstalled(packageName: string): boolean {
  try {
    createRequire(import.meta.url).resolve(packageName);
    return true;
  } catch {
    return false;
  }
}
