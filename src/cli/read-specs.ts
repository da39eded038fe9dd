import { readRegularFile } from "../shared/read-regular-file.js";
import { describeIoError } from "../shared/describe-io-error.js";
import { UsageError } from "./usage-error.js";

export interface SpecText {
  path: string;
  /** The spec without a leading byte-order mark, so that the first line's columns count as an editor counts them. */
  text: string;
  /** Whether the file began with a byte-order mark, for `fmt` to keep. */
  byteOrderMark: boolean;
}

const BYTE_ORDER_MARK = "\ufeff";

/**
 * The largest spec `regc` reads: a thousand times the largest example, and a
 * bound on what a wrong path (`/dev/zero`) or a spec of junk can cost (each
 * line of junk is a diagnostic: 16 MB of them took minutes and gigabytes).
 */
export const SPEC_BYTE_LIMIT = 1024 * 1024;

/** Reads every spec before any is checked, so an I/O problem stops the run with exit code 2. */
export function readSpecs(paths: readonly string[]): SpecText[] {
  return paths.map((path) => {
    const text = readSpec(path);
    const byteOrderMark = text.startsWith(BYTE_ORDER_MARK);
    return { path, text: byteOrderMark ? text.slice(1) : text, byteOrderMark };
  });
}

function readSpec(path: string): string {
  const read = readRegularFile(path, SPEC_BYTE_LIMIT);
  if (read.ok) return read.text;
  if ("notRegular" in read) throw new UsageError(`cannot read ${path}: it is ${read.notRegular}, not a regular file; give a .reg spec file`);
  if ("tooLarge" in read) throw new UsageError(`cannot read ${path}: it is larger than ${SPEC_BYTE_LIMIT / 1024 ** 2} MB, the most a spec may be`);
  throw new UsageError(`cannot read ${path}: ${describeIoError(read.error)}`);
}
