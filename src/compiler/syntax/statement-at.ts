import type { IToken } from "chevrotain";
import type { Block } from "./ast.js";
import { lex, LCurly, Newline, RCurly, type LexResult } from "./lexer.js";
import { limitNesting } from "./parse.js";
import { openRulesAtEnd, parseTokens, type OpenRule } from "./parser.js";
import { DiagnosticSink } from "../diagnostics/report.js";

/**
 * Parses the statement at a cursor without the rest of its block. A block's
 * body is a run of statements that line breaks end (the lexer keeps only the
 * breaks that do), so the lines before the cursor's and after it parse on
 * their own: only the block's head, up to its `{`, and the cursor's line
 * are parsed. Where a brace among the lines left out could close the block,
 * nothing is left out. A spec's model block may run to thousands of lines;
 * this keeps the parse behind a keystroke to a line or two.
 */

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
  for (const token of [...lexed.tokens, ...lexed.comments]) {
    token.startOffset += start;
    if (token.endOffset !== undefined) token.endOffset += start;
  }
  return lexed;
}

/** The tokens up to the first `{`, and those of the line break before token `at` up to the next one. */
function headAndLine(tokens: IToken[], at: number): IToken[] {
  const open = tokens.findIndex((t) => t.tokenType === LCurly);
  let lineStart = at;
  while (lineStart > open + 1 && tokens[lineStart - 1]!.tokenType !== Newline) lineStart--;
  let lineEnd = at;
  while (lineEnd < tokens.length && tokens[lineEnd]!.tokenType !== Newline) lineEnd++;
  const left = lineStart - 1;
  if (open < 0 || left <= open + 1 || tokens.slice(open + 1, left).some((t) => t.tokenType === LCurly || t.tokenType === RCurly)) {
    return lineEnd === tokens.length ? tokens : tokens.slice(0, lineEnd);
  }
  return [...tokens.slice(0, open + 1), ...tokens.slice(left, lineEnd)];
}
