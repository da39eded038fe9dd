import { lstatSync, readlinkSync, type Stats } from "node:fs";
import { visiblePath } from "../compiler/diagnostics/render/visible-text.js";
import { isPseudoFile, realPath } from "../shared/path-inside.js";
import { readRegularFile } from "../shared/read-regular-file.js";
import { describeIoError } from "../shared/describe-io-error.js";
import { SPEC_BYTE_LIMIT, SPEC_SIZE_LIMIT_TEXT } from "../shared/spec-size.js";
import { notUtf8Problem } from "../shared/utf8-text.js";
import { UsageError } from "./usage-error.js";

export interface SpecText {
  path: string;
  /** The spec without a leading byte-order mark, so that the first line's columns count as an editor counts them. */
  text: string;
  /** Whether the file began with a byte-order mark, for `fmt` to keep. */
  byteOrderMark: boolean;
}

/** A spec that could not be read, and why, in words that follow "cannot read PATH: ". */
export interface UnreadableSpec {
  path: string;
  problem: string;
}

const BYTE_ORDER_MARK = "\ufeff";

/** Reads the specs of a command that needs each of them (`compile`, `run`, `ablate`, `tune`): one that cannot be read stops it with exit code 2. */
export function readSpecs(paths: readonly string[]): SpecText[] {
  return paths.map((path) => {
    const read = readSpec(path);
    if ("problem" in read) throw new UsageError(unreadableMessage(read));
    return read;
  });
}

/**
 * Reads each spec it can: one that cannot be read is set aside, so the
 * others are still checked or formatted. One that is gone by the time it is
 * read, found by a walk that raced its removal, is passed over.
 */
export function readEachSpec(paths: readonly string[]): { specs: SpecText[]; unreadable: UnreadableSpec[] } {
  const specs: SpecText[] = [];
  const unreadable: UnreadableSpec[] = [];
  for (const path of paths) {
    const read = readSpec(path);
    if (!("problem" in read)) specs.push(read);
    else if (entryAt(path)) unreadable.push(read);
  }
  return { specs, unreadable };
}

/** `cannot read PATH: …`, as `regc` prints it after `regc: error: `. */
export function unreadableMessage(spec: UnreadableSpec): string {
  return `cannot read ${visiblePath(spec.path)}: ${spec.problem}`;
}

function readSpec(path: string): SpecText | UnreadableSpec {
  // Even where the user names it: `/proc/self/environ` claims to be a regular file and holds the process's secrets.
  if (isPseudoFile(realPath(path))) return { path, problem: "it is a kernel pseudo-file (/proc, /sys, /dev), not a spec; give a .reg spec file" };
  const read = readRegularFile(path, SPEC_BYTE_LIMIT);
  if (read.ok && read.notUtf8) return { path, problem: notUtf8Problem(read.notUtf8) };
  if (read.ok) {
    const byteOrderMark = read.text.startsWith(BYTE_ORDER_MARK);
    return { path, text: byteOrderMark ? read.text.slice(1) : read.text, byteOrderMark };
  }
  if ("notRegular" in read) return { path, problem: `it is ${read.notRegular}, not a regular file; give a .reg spec file` };
  if ("tooLarge" in read) return { path, problem: `it is larger than ${SPEC_SIZE_LIMIT_TEXT}, the most a spec may be` };
  const target = read.error.code === "ENOENT" ? linkTarget(path) : undefined;
  if (target !== undefined) return { path, problem: `it is a link to ${visiblePath(target)}, which does not exist` };
  // An error's own message, where its code has no words, names the path.
  return { path, problem: visiblePath(describeIoError(read.error)) };
}

/** What a link's text says it leads to; nothing for a path that is no link (or is gone). */
function linkTarget(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** What is at a path itself, a link not followed; nothing where nothing is, or where it cannot be seen. */
function entryAt(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
