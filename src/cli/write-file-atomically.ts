import { renameSync, rmSync, statSync, writeFileSync } from "node:fs";

/**
 * Writes beside the target, then renames over it: a crash or a full disk
 * never leaves a half-written spec. Keeps the file's permissions.
 */
export function writeFileAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.regc-tmp`;
  try {
    writeFileSync(temporary, text, { mode: statSync(path).mode });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
