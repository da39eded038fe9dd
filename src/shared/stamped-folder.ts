import { mkdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Makes `ROOT/NAME-YYYYMMDD-HHMMSS` (local time, as the person who started
 * it reads their clock), with `-2`, `-3`, … when that exists, and returns
 * it: a run or an experiment never writes into another's folder. `root`
 * exists. A name is user text: it is kept to one safe path segment
 * (`folderNamePart`).
 */
export function createStampedFolder(root: string, name: string, now: Date = new Date()): string {
  const base = `${folderNamePart(name)}-${timestamp(now)}`;
  for (let n = 1; ; n++) {
    const folder = join(root, n === 1 ? base : `${base}-${n}`);
    try {
      // Not recursive: fails if the folder exists, even when another process made it a moment ago.
      mkdirSync(folder);
      return folder;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** File systems allow a name 255 bytes: this leaves room for the stamp and a `-N`, and keeps paths short. */
const MAX_NAME_BYTES = 120;

/** What a name keeps: letters, digits and combining marks of any script (Devanagari's vowel signs have no composed form), `_`, `.`, `-`. */
const UNSAFE_RUN = /[^\p{L}\p{M}\p{N}_.-]+/gu;

/**
 * `name` as the start of a folder name that every file system accepts and
 * its user still recognises (`données`, `数字`): in NFC, each run of other
 * characters (separators, spaces, what Windows forbids, control
 * characters) one `_`; no `.`, `_` or `-` at either end (a hidden folder,
 * a name Windows trims, one a command line reads as a flag); at most
 * `MAX_NAME_BYTES` of UTF-8, cut between characters; `spec` when nothing
 * is left.
 */
function folderNamePart(name: string): string {
  const kept = trimEnds(name.normalize("NFC").replace(UNSAFE_RUN, "_"));
  const part = trimEnds(withinBytes(kept, MAX_NAME_BYTES));
  if (part === "") return "spec";
  // Windows reserves a device's name before any dot (`con.v2-…` is the console): such a name is set apart.
  return /^(con|prn|aux|nul|com[\d¹²³]|lpt[\d¹²³])\./iu.test(part) ? `_${part}` : part;
}

/** Without `.`, `_`, `-` at either end, nor a combining mark at the start, which would have no letter to sit on. */
function trimEnds(name: string): string {
  return name.replace(/^[\p{M}._-]+|[._-]+$/gu, "");
}

/** The longest start of `text` within `maxBytes` of UTF-8 that ends between two characters as a reader sees them (a letter keeps its accents). */
function withinBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const { segment, index } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) {
    bytes += Buffer.byteLength(segment, "utf8");
    if (bytes > maxBytes) return text.slice(0, end);
    end = index + segment.length;
  }
  return text;
}

function timestamp(date: Date): string {
  const two = (value: number) => String(value).padStart(2, "0");
  const day = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}`;
  return `${day}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}
