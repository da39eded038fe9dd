/**
 * Top-level blocks never nest, so a spec splits into chunks, one per block,
 * at each line that opens one: a block keyword at the start of a line,
 * followed by a name or `{` (not by `=`, `:` or `.`, which would make it an
 * argument or a reference), and not inside a block comment. Parsing chunk by
 * chunk gives the same tree for a valid spec, keeps an unclosed block from
 * swallowing the blocks after it, and lets an editor re-parse only the
 * chunks an edit touched.
 */
const BLOCK_HEAD = /^(?:data|model|task|train|regularize|tune)(?![A-Za-z0-9_*])(?![ \t]*[=:.,()])/;

/** Offsets where chunks start: always 0, then each block head outside a block comment. */
export function chunkStarts(text: string): number[] {
  const starts = [0];
  let inBlockComment = false;
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    if (!inBlockComment && lineStart > 0 && BLOCK_HEAD.test(text.slice(lineStart, Math.min(lineEnd, lineStart + 24)))) {
      starts.push(lineStart);
    }
    inBlockComment = endsInBlockComment(text, lineStart, lineEnd, inBlockComment);
    lineStart = lineEnd + 1;
  }
  return starts;
}

/** Whether a block comment is still open at the end of the line, skipping strings and `//` comments. */
function endsInBlockComment(text: string, from: number, to: number, open: boolean): boolean {
  let inString = false;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (open) {
      if (c === "*" && text[i + 1] === "/") {
        open = false;
        i++;
      }
    } else if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "/" && text[i + 1] === "/") return false;
    else if (c === "/" && text[i + 1] === "*") {
      open = true;
      i++;
    }
  }
  return open;
}

/** The chunk that holds `offset`: where it starts, and where the next one does (or the text ends). */
export function chunkAround(text: string, offset: number): { start: number; end: number } {
  const starts = chunkStarts(text);
  let index = 0;
  while (index + 1 < starts.length && starts[index + 1]! <= offset) index++;
  return { start: starts[index]!, end: starts[index + 1] ?? text.length };
}
