import { lstatSync, readlinkSync } from "node:fs";
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

/** Reads each spec it can: one that cannot be read is set aside, so the others are still checked or formatted. */
export function readEachSpec(paths: readonly string[]): { specs: SpecText[]; unreadable: UnreadableSpec[] } {
  const specs: SpecText[] = [];
  const unreadable: UnreadableSpec[] = [];
  for (const path of paths) {
    const read = readSpec(path);
    if ("problem" in read) unreadable.push(read);
    else specs.push(read);
  }
  return { specs, unreadable };
}

/** `cannot read PATH: …`, as `regc` prints it after `regc: error: `. */
export function unreadableMessage(spec: UnreadableSpec): string {
  return `cannot read ${spec.path}: ${spec.problem}`;
}

function readSpec(path: string): SpecText | UnreadableSpec {
  const read = readRegularFile(path, SPEC_BYTE_LIMIT);
  if (read.ok && read.notUtf8) return { path, problem: notUtf8Problem(read.notUtf8) };
  if (read.ok) {
    const byteOrderMark = read.text.startsWith(BYTE_ORDER_MARK);
    return { path, text: byteOrderMark ? read.text.slice(1) : read.text, byteOrderMark };
  }
  if ("notRegular" in read) return { path, problem: `it is ${read.notRegular}, not a regular file; give a .reg spec file` };
  if ("tooLarge" in read) return { path, problem: `it is larger than ${SPEC_SIZE_LIMIT_TEXT}, the most a spec may be` };
  if (read.error.code === "ENOENT" && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) {
    return { path, problem: `it is a link to ${readlinkSync(path)}, which does not exist` };
  }
  return { path, problem: describeIoError(read.error) };
}
