import type { Comment, SpecFile, Statement } from "./ast.js";
import type { ParseResult } from "./parse.js";
import { joinsNeighbouringLines } from "./lexer.js";
import { LineIndex } from "./span.js";

/** A chunk's text as parsed for an earlier version, where it started, and its parse. */
export interface EarlierChunk {
  text: string;
  start: number;
  result: ParseResult;
}

/** What re-parsing a block needs of the parser: a chunk's text parsed at the chunk's offset, and a parse moved by a distance. */
export interface ChunkParser {
  parse(text: string): ParseResult;
  /** `value` with every span moved by `delta`; undefined where one lay before `from`. */
  move<T extends Statement | Comment>(value: T, from: number, delta: number): T | undefined;
}

/**
 * The parse of a block edited inside its body, from the parse of its
 * earlier text: the statements on the lines the edit touched are parsed
 * again, each other statement is kept (moved where the edit changed the
 * length before it). Statements are lines of their own, so where the
 * earlier block parsed clean and the lines parsed again parse clean with
 * the rest of the body left blank, the whole block parses to the same tree.
 * Undefined where that does not hold: the header or the closing line was
 * edited, or a parse holds an error; the block is then parsed whole.
 */
export function reparsedBlock(earlier: EarlierChunk, text: string, start: number, parser: ChunkParser): ParseResult | undefined {
  const { blocks, comments } = earlier.result.ast;
  const block = blocks[0];
  if (earlier.result.diagnostics.length > 0 || blocks.length !== 1 || !block || !("body" in block)) return undefined;
  const lines = { before: new LineIndex(earlier.text), after: new LineIndex(text) };
  const edited = editedLines(lines.before, lines.after);
  if (!edited) return undefined;
  const at = (offset: number) => offset - earlier.start;
  const lineAt = (offset: number) => lines.before.position(at(offset)).line;
  const statementLines = block.body.map((s) => ({ statement: s, first: lineAt(s.span.start), last: lineAt(Math.max(s.span.start, s.span.end - 1)) }));
  const ranges = widened(edited.ranges, statementLines);
  // The header line and the closing line stay as they were: only the body between them is parsed again.
  const closingLine = lineAt(block.span.end - 1);
  if (ranges.some(([from, to]) => from < 1 || to > closingLine)) return undefined;
  if (statementLines.some(({ first, last }) => first < 1 || last >= closingLine)) return undefined;

  const inRange = (line: number) => ranges.some(([from, to]) => from <= line && line < to);
  // A comment over several lines holds whatever lies between its ends: an edit there may end it or be inside it.
  const multiLine = comments.filter((c) => lineAt(c.span.start) !== lineAt(c.span.end));
  if (multiLine.some((c) => ranges.some(([from, to]) => from <= lineAt(c.span.end) && lineAt(c.span.start) < Math.max(to, from + 1)))) return undefined;

  // The new text with every line kept made blank: only the header, the edited lines and the closing line are left to parse.
  const offsetOf = (line: number) => lines.after.lineStart(line);
  const rangeText = ([from, to]: [number, number]) => text.slice(offsetOf(from), offsetOf(to + edited.added));
  // Edited lines that may join the lines around them (a clause starting a line, a call left open) leave where statements end to those lines.
  if (ranges.some((range) => joinsNeighbouringLines(rangeText(range)))) return undefined;
  const keptLines = (from: number, to: number) => (from < to ? blank(text.slice(offsetOf(edited.lineAfter(from)), offsetOf(edited.lineAfter(to - 1) + 1))) : "");
  let blanked = text.slice(0, offsetOf(1));
  let line = 1;
  for (const [from, to] of ranges) {
    blanked += keptLines(line, from) + rangeText([from, to]);
    line = to;
  }
  blanked += keptLines(line, closingLine) + text.slice(offsetOf(edited.lineAfter(closingLine)));
  const parsed = parser.parse(blanked);
  const parsedBlock = parsed.ast.blocks[0];
  if (parsed.diagnostics.length > 0 || parsed.ast.blocks.length !== 1 || !parsedBlock || parsedBlock.kind !== block.kind || !("body" in parsedBlock)) return undefined;

  // A comment the edit opened in one place and closed in another would hold the lines kept between.
  const withinRange = (c: Comment) => ranges.some(([from, to]) => offsetOf(from) <= c.span.start - start && c.span.end - start <= offsetOf(to + edited.added));
  if (parsed.ast.comments.some((c) => c.text.includes("\n") && !withinRange(c))) return undefined;

  // A line kept moves by how far its start moved: the chunk's own move, and the length the edit added before it.
  const moveOf = (line: number) => start + offsetOf(edited.lineAfter(line)) - (earlier.start + lines.before.lineStart(line));
  const kept: Statement[] = [];
  for (const { statement, first } of statementLines) {
    if (inRange(first)) continue;
    const moved = parser.move(statement, earlier.start, moveOf(first));
    if (!moved) return undefined;
    kept.push(moved);
  }
  const keptComments: Comment[] = [];
  for (const comment of comments) {
    const line = lineAt(comment.span.start);
    if (line < 1 || line >= closingLine || inRange(line) || inRange(lineAt(comment.span.end))) continue;
    const moved = parser.move(comment, earlier.start, moveOf(line));
    if (!moved) return undefined;
    keptComments.push(moved);
  }
  const ast: SpecFile = { ...parsed.ast, blocks: [{ ...parsedBlock, body: mergedByStart(kept, parsedBlock.body) }], comments: mergedByStart(keptComments, parsed.ast.comments) };
  return { ast, diagnostics: [] };
}

/**
 * The lines an edit touched, in the earlier text, as ranges of lines, and
 * where each untouched line stands in the newer text. Lines both texts
 * start and end with are untouched; between them, where as many lines were
 * edited as there were, the lines pair one for one and only those that
 * differ are touched; otherwise every line between them is.
 */
function editedLines(before: LineIndex, after: LineIndex) {
  const sameLine = (i: number, j: number) => sameText(before.text, before.lineStart(i), before.lineStart(i + 1), after.text, after.lineStart(j), after.lineStart(j + 1));
  const shortest = Math.min(before.lineCount, after.lineCount);
  let head = 0;
  while (head < shortest && sameLine(head, head)) head++;
  let tail = 0;
  while (tail < shortest - head && sameLine(before.lineCount - 1 - tail, after.lineCount - 1 - tail)) tail++;
  if (head === 0 || tail === 0) return undefined;
  const added = after.lineCount - before.lineCount;
  const ranges: Array<[number, number]> = [];
  if (added === 0) {
    for (let line = head; line < before.lineCount - tail; line++) {
      if (sameLine(line, line)) continue;
      const last = ranges[ranges.length - 1];
      if (last && last[1] === line) last[1] = line + 1;
      else ranges.push([line, line + 1]);
    }
  } else {
    ranges.push([head, before.lineCount - tail]);
  }
  return { ranges, added, lineAfter: (line: number) => (added === 0 || line < head ? line : line + added) };
}

/** The ranges of lines grown to hold each statement they touch whole, merged where they meet. */
function widened(ranges: ReadonlyArray<[number, number]>, statements: ReadonlyArray<{ first: number; last: number }>): Array<[number, number]> {
  let current = ranges.map(([from, to]): [number, number] => [from, to]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const range of current) {
      for (const { first, last } of statements) {
        // A range of no lines (lines inserted) touches a statement it falls inside.
        const touches = range[0] === range[1] ? first < range[0] && range[0] <= last : first < range[1] && last >= range[0];
        if (!touches || (first >= range[0] && last < range[1])) continue;
        range[0] = Math.min(range[0], first);
        range[1] = Math.max(range[1], last + 1);
        changed = true;
      }
    }
    current.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const range of current) {
      const last = merged[merged.length - 1];
      if (last && range[0] < last[1]) last[1] = Math.max(last[1], range[1]);
      else merged.push(range);
    }
    current = merged;
  }
  return current;
}

/**
 * Whole lines made blank: as many characters, so every offset after them
 * stays, and one line break, so the statements around them stay apart.
 */
function blank(lines: string): string {
  return lines.length === 0 ? "" : " ".repeat(lines.length - 1) + "\n";
}

/** Two lists sorted by where they start, as one. */
function mergedByStart<T extends { span: { start: number } }>(a: readonly T[], b: readonly T[]): T[] {
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) merged.push(j >= b.length || (i < a.length && a[i]!.span.start <= b[j]!.span.start) ? a[i++]! : b[j++]!);
  return merged;
}

function sameText(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (a.charCodeAt(aStart + i) !== b.charCodeAt(bStart + i)) return false;
  return true;
}
