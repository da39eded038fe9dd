import { isUtf8 } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";

/** A byte that is not UTF-8: its value, and its line and column (from 1, the column in characters). */
export interface NotUtf8 {
  byte: number;
  line: number;
  column: number;
}

export type RegularFileRead =
  /** `notUtf8`: where the first byte that is not UTF-8 stands, which `text` shows as U+FFFD. */
  | { ok: true; text: string; notUtf8?: NotUtf8 }
  /** `notRegular`: what the path is instead (`a folder`, `a character device`…). */
  | { ok: false; notRegular: string }
  | { ok: false; tooLarge: true }
  | { ok: false; error: NodeJS.ErrnoException };

/**
 * Reads a regular file of at most `limit` bytes as UTF-8. It is opened
 * without blocking, so a named pipe cannot stall the reader, and checked on
 * the open descriptor, so what is read is what was checked. The size the
 * file claims only sizes the buffer: reading stops at `limit` whatever it
 * says (kernel files claim 0).
 */
export function readRegularFile(path: string, limit: number): RegularFileRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, error: error as NodeJS.ErrnoException };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, notRegular: describeNonRegular(stats) };
    let buffer = Buffer.allocUnsafe(Math.min(limit, stats.size) + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > limit) return { ok: false, tooLarge: true };
        const grown = Buffer.allocUnsafe(Math.min(limit + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, total);
        buffer = grown;
      }
      const read = readSync(fd, buffer, total, buffer.length - total, null);
      if (read === 0) break;
      total += read;
    }
    if (total > limit) return { ok: false, tooLarge: true };
    const bytes = buffer.subarray(0, total);
    const invalidAt = firstInvalidUtf8Byte(bytes);
    return { ok: true, text: bytes.toString("utf8"), ...(invalidAt !== undefined && { notUtf8: notUtf8At(bytes, invalidAt) }) };
  } catch (error) {
    return { ok: false, error: error as NodeJS.ErrnoException };
  } finally {
    closeSync(fd);
  }
}

/** `a folder`, `a character device`…: what a path that is not a regular file is, for messages. */
export function describeNonRegular(stats: Stats): string {
  if (stats.isDirectory()) return "a folder";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isSocket()) return "a socket";
  return "something other than a file";
}

/**
 * The offset of the first byte of `bytes` that is not UTF-8, if any: every
 * file read is checked, at memory speed (`isUtf8`). Only a file that fails
 * is searched. A streaming decoder keeps a character cut at the end of a
 * prefix for later, so whether a prefix decodes is monotonic: a binary
 * search finds the longest that does.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number | undefined {
  const decodes = (length: number) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, length), { stream: length < bytes.length });
      return true;
    } catch {
      return false;
    }
  };
  if (isUtf8(bytes)) return undefined;
  let [good, bad] = [0, bytes.length];
  while (bad - good > 1) {
    const middle = (good + bad) >>> 1;
    if (decodes(middle)) good = middle;
    else bad = middle;
  }
  // The longest prefix that decodes may end in a character cut short, which the next byte could not finish: the fault starts there.
  return startOfCutCharacter(bytes, good) ?? good;
}

function notUtf8At(bytes: Uint8Array, offset: number): NotUtf8 {
  const lines = Buffer.from(bytes.subarray(0, offset)).toString("utf8").split("\n");
  return { byte: bytes[offset]!, line: lines.length, column: lines.at(-1)!.length + 1 };
}

/** Where the character that `bytes[0, end)` ends in the middle of starts, if it does. */
function startOfCutCharacter(bytes: Uint8Array, end: number): number | undefined {
  for (let start = end - 1; start >= Math.max(0, end - 3); start--) {
    const byte = bytes[start]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return end - start < length ? start : undefined;
  }
  return undefined;
}
