import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { decodeUtf8, type NotUtf8 } from "./utf8-text.js";

export type RegularFileRead =
  /** `notUtf8`: why the file is not UTF-8 text (UTF-16, or where its first byte that is not UTF-8 stands). */
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
    return { ok: true, ...decodeUtf8(buffer.subarray(0, total)) };
  } catch (error) {
    return { ok: false, error: error as NodeJS.ErrnoException };
  } finally {
    closeSync(fd);
  }
}

/** What stands at `path` where a data file was looked for and none found (`a folder`, `a named pipe`…); undefined where nothing does, or nothing can be told. */
export function nonRegularAt(path: string): string | undefined {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats && !stats.isFile() ? describeNonRegular(stats) : undefined;
  } catch {
    // Unreadable on the way there: as good as absent.
    return undefined;
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
