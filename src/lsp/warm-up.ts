import { check, BlockCheckCache, ChunkCache, type CheckOptions } from "../compiler/index.js";
import { chunkStarts } from "../compiler/syntax/chunks.js";

/** The most blocks edited: each costs one check, and a few already run every path an edit takes. */
const MAX_EDITED_BLOCKS = 6;

/**
 * Checks of a document's text, then of that text edited in one block after
 * another, with caches of their own. The first edits after a server starts
 * run code its first check never ran, or ran once: a block's edited lines
 * parsed again, the blocks after them moved, each block checked again. Until
 * the engine has compiled that code they take several times as long as later
 * edits. Each step is one check, so a caller can answer requests between steps.
 */
export function warmUpSteps(text: string, options: Pick<CheckOptions, "path" | "dataAccess">): Array<() => void> {
  const parseCache = new ChunkCache();
  const blockCache = new BlockCheckCache();
  return warmUpVersions(text).map((version) => () => void check(version, { ...options, parseCache, blockCache }));
}

/** The text, then the text with one of its first blocks edited, for each of them in turn. */
export function warmUpVersions(text: string): string[] {
  const starts = chunkStarts(text);
  const edited = starts.slice(0, MAX_EDITED_BLOCKS).map((start, i) => withSpaceInMiddle(text, start, starts[i + 1] ?? text.length));
  return [text, ...edited];
}

/** Runs the steps one per turn of the event loop, so requests that arrive meanwhile wait for one step at most. */
export function runWhenIdle(steps: ReadonlyArray<() => void>): void {
  const next = (at: number) => {
    if (at >= steps.length) return;
    steps[at]!();
    setImmediate(next, at + 1);
  };
  setImmediate(next, 0);
}

/** The text with a space at the end of the middle line between `start` and `end`: an edit inside that block, or of its only line. */
function withSpaceInMiddle(text: string, start: number, end: number): string {
  const lineEnds: number[] = [];
  for (let at = text.indexOf("\n", start); at !== -1 && at < end; at = text.indexOf("\n", at + 1)) lineEnds.push(at);
  const middle = lineEnds[lineEnds.length >> 1] ?? end;
  return `${text.slice(0, middle)} ${text.slice(middle)}`;
}
