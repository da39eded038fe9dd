import type { IToken } from "chevrotain";
import type { Block } from "./ast.js";
import { BLOCK_KEYWORDS, lex, LCurly, Newline, RCurly, type LexResult } from "./lexer.js";
import { limitNesting } from "./parse.js";
import { openRulesAtEnd, parseTokens, type OpenRule } from "./parser.js";
import { DiagnosticSink } from "../diagnostics/report.js";

/**
 * Parses the statement at a cursor without the rest of its block. A block's
 * body is a run of statements that line breaks end (the lexer keeps only the
 * breaks that do), and a statement that breaks is given up at its line's
 * end, so the lines before the cursor's and after it parse on their own:
 * only the block's head, up to its `{`, and the cursor's line (with the one
 * before it, see `headAndLine`) are parsed.
 * Only a brace, or a block keyword where a statement breaks (recovery resumes
 * at the next block there), can end the block early: where the lines left
 * out hold one, nothing is left out. A spec's model block may run to
 * thousands of lines; this keeps the parse behind a keystroke to a line or two.
 */

/** Tokens that may end a block before its last line: see above. */
const MAY_END_BLOCK = new Set([LCurly, RCurly, ...BLOCK_KEYWORDS]);

/**
 * The rules a parse of a chunk's `tokens`, which stop at a cursor at offset
 * `end`, is inside there (see parser.ts `openRulesAtEnd`). Nesting is
 * limited as in a whole parse.
 */
export function openRulesBefore(tokens: IToken[], end: number): OpenRule[] {
  return openRulesAtEnd(limitNesting(headAndLine(tokens, tokens.length), new DiagnosticSink()), end);
}

/** The blocks a parse of a chunk's `tokens` finds, reading only the head and the line of the token at `at`. */
export function blocksAroundLine(tokens: IToken[], at: number, end: number): Block[] {
  return parseTokens(limitNesting(headAndLine(tokens, at), new DiagnosticSink()), end).blocks;
}

/** The tokens and comments of `text` from `start` to `end`, with their offsets in `text`. */
export function lexSlice(text: string, start: number, end: number): LexResult {
  const lexed = lex(text.slice(start, end));
  moveTokens(lexed.tokens, start);
  moveTokens(lexed.comments, start);
  return lexed;
}

function moveTokens(tokens: readonly IToken[], delta: number): void {
  for (const token of tokens) {
    token.startOffset += delta;
    if (token.endOffset !== undefined) token.endOffset += delta;
  }
}

/**
 * The tokens up to the first `{`, and those of the line before token `at`'s
 * and of `at`'s own line. The line before is parsed too: a line break that a
 * statement's error stops at may be dropped by recovery when the next line
 * starts with what the statement lacked (`h = dense` then `(8)`), joining
 * the two lines.
 */
function headAndLine(tokens: IToken[], at: number): IToken[] {
  const open = tokens.findIndex((t) => t.tokenType === LCurly);
  const left = breakBefore(tokens, breakBefore(tokens, at, open), open);
  let lineEnd = at;
  while (lineEnd < tokens.length && tokens[lineEnd]!.tokenType !== Newline) lineEnd++;
  if (open < 0 || left <= open + 1 || anyMayEndBlock(tokens, open + 1, left)) {
    return lineEnd === tokens.length ? tokens : tokens.slice(0, lineEnd);
  }
  return [...tokens.slice(0, open + 1), ...tokens.slice(left, lineEnd)];
}

function anyMayEndBlock(tokens: readonly IToken[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (MAY_END_BLOCK.has(tokens[i]!.tokenType)) return true;
  return false;
}

/** The index of the line break before token `at`, or `open` (the body's `{`) where none comes after it. */
function breakBefore(tokens: readonly IToken[], at: number, open: number): number {
  let i = at - 1;
  while (i > open && tokens[i]!.tokenType !== Newline) i--;
  return Math.max(i, open);
}
