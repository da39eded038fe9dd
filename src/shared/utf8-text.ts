import { isUtf8 } from "node:buffer";

/** Why a file's bytes are not UTF-8 text: UTF-16 (Excel's "Unicode text"), or the first byte that is not UTF-8, its line and column (from 1, the column in characters). */
export type NotUtf8 = { utf16: true } | { byte: number; line: number; column: number };

/** Text decoded as UTF-8; `notUtf8` says why it is not UTF-8 text, which `text` then shows as U+FFFD. */
export interface Utf8Text {
  text: string;
  notUtf8?: NotUtf8;
}

/** Decodes a file's bytes as UTF-8, saying where they are not UTF-8 text: specs and data files alike are read only as UTF-8. */
export function decodeUtf8(bytes: Uint8Array): Utf8Text {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (looksLikeUtf16(bytes)) return { text, notUtf8: { utf16: true } };
  const invalidAt = firstInvalidUtf8Byte(bytes);
  return { text, ...(invalidAt !== undefined && { notUtf8: notUtf8At(bytes, invalidAt) }) };
}

/** What is wrong with a file that is not UTF-8, in words that follow "cannot read FILE: ". */
export function notUtf8Problem(problem: NotUtf8): string {
  if ("utf16" in problem) return "it is UTF-16 text (what Excel saves as \"Unicode text\"), not UTF-8; save the file as UTF-8";
  const hex = problem.byte.toString(16).toUpperCase().padStart(2, "0");
  return `it is not UTF-8 text: the byte 0x${hex} at line ${problem.line}, column ${problem.column} is not UTF-8 (a Latin-1 or Windows-1252 letter, perhaps); save the file as UTF-8`;
}

/** Bytes of a file's start enough to tell UTF-16 by: its characters' zero bytes. */
const UTF16_SAMPLE = 4096;

/**
 * UTF-16 starts with a byte-order mark (FF FE or FE FF, neither of which
 * UTF-8 holds), or, saved without one, has a NUL in every other byte where
 * its text is ASCII, as a CSV file's is. Such NULs are valid UTF-8, so this
 * is asked before UTF-8 is. (A character such as U+0100 puts its NUL in
 * the other byte: a few of those are allowed.)
 */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return true;
  const pairs = Math.floor(Math.min(bytes.length, UTF16_SAMPLE) / 2);
  const nuls = [0, 0];
  for (let at = 0; at < pairs * 2; at++) if (bytes[at] === 0) nuls[at % 2]!++;
  const [fewer, more] = [Math.min(...nuls), Math.max(...nuls)];
  return pairs > 0 && more * 2 >= pairs && fewer * 8 < more;
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
