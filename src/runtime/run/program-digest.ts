import { sha256 } from "./sha256.js";

/**
 * The line of a generated program that says where its spec's folder lies
 * relative to the program itself: two copies of one program written to
 * different places (`regc compile -o out`, `regc run`'s own) differ there
 * and nowhere else.
 */
const SPEC_FOLDER_LINE = /^const SPEC_FOLDER = .*$/m;

/**
 * A program's SHA-256 as `run.json` records it, its spec folder's line
 * left out: the same program compiled to another place continues the same
 * runs (the data it reads is held to a SHA-256 of its own).
 */
export function programDigest(code: string): string {
  return sha256(code.replace(SPEC_FOLDER_LINE, ""));
}

/**
 * Whether `code` may be the program a run recorded: by its digest, or by
 * the SHA-256 of its whole text, which run folders recorded before the
 * digest left the line out. Where either is unknown (a program transpiled
 * to JavaScript, whose source the runtime cannot read), nothing tells them
 * apart.
 */
export function isRecordedProgram(code: string | undefined, recorded: string | undefined): boolean {
  if (code === undefined || recorded === undefined) return true;
  return programDigest(code) === recorded || sha256(code) === recorded;
}
