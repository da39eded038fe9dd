import { readFileSync } from "node:fs";
import { UsageError } from "./usage-error.js";

export interface SpecText {
  path: string;
  text: string;
}

/** Reads every spec before any is checked, so an I/O problem stops the run with exit code 2. */
export function readSpecs(paths: readonly string[]): SpecText[] {
  return paths.map((path) => {
    try {
      return { path, text: readFileSync(path, "utf8") };
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${describeIoError(error)}`);
    }
  });
}

const IO_ERRORS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a folder",
  EPERM: "operation not permitted",
};

export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && IO_ERRORS[code]) ?? (error instanceof Error ? error.message : String(error));
}
