import { check, BlockCheckCache, ChunkCache, LineIndex, type CheckOptions } from "../compiler/index.js";

/**
 * Lines checked by a warm-up in all, at most: its edits number this over
 * the document's line count, so a large document, whose every check is
 * long, is edited fewer times, and each of its checks runs the same code
 * over more lines.
 */
const WARM_UP_LINES = 128_000;
/** The fewest and the most edits a warm-up makes. */
const MIN_EDITS = 6;
const MAX_EDITS = 64;

/**
 * Checks of a document's text, then of that text edited at one line after
 * another, with caches of their own. The first edits after a server starts
 * run code its first check never ran, or ran once: a block's edited lines
 * parsed again, the statements and blocks after them moved, each block
 * checked again. Until the engine has compiled that code for the shapes of
 * tree each kind of statement and position gives it, which takes a few
 * dozen edits, they take two to four times as long as later edits. Each step
 * is one check, so a caller can answer requests between steps.
 */
export function warmUpSteps(text: string, options: Pick<CheckOptions, "path" | "dataAccess">): Array<() => void> {
  const parseCache = new ChunkCache();
  const blockCache = new BlockCheckCache();
  return warmUpVersions(text).map((version) => () => void check(version, { ...options, parseCache, blockCache }));
}

/** The text, then the text with a space typed at the end of one line, for lines spread evenly from its start to its end. */
export function warmUpVersions(text: string): string[] {
  const lines = new LineIndex(text);
  const edits = Math.min(lines.lineCount, Math.max(MIN_EDITS, Math.min(MAX_EDITS, Math.floor(WARM_UP_LINES / lines.lineCount))));
  const edited = Array.from({ length: edits }, (_, i) => {
    const end = lines.lineEnd(Math.floor(((i + 0.5) * lines.lineCount) / edits));
    return `${text.slice(0, end)} ${text.slice(end)}`;
  });
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
