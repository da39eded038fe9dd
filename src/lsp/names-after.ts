import type { IToken } from "chevrotain";
import type * as A from "../compiler/syntax/ast.js";
import { Newline } from "../compiler/syntax/lexer.js";
import { blocksAroundLine, lexSlice } from "../compiler/syntax/statement-at.js";

/** A value that fits any empty slot: it stands in for the word being typed. */
const PLACEHOLDER = "_";
/** Nothing of the slot follows the cursor: a separator, a closing bracket or the end of the line comes next. */
const SLOT_ENDS = /^[ \t]*(?:[,)\]\r\n]|$)/;

/**
 * Names given after the cursor in the call or setting whose callee or
 * keyword starts at offset `owner` (`early_stop(|, patience: 3)` gives
 * `patience`), so completion does not offer a name twice. The cursor, at
 * `offset`, is where a value starts; `before` are the chunk's tokens before
 * the word typed there, which starts at `wordStart`. The names come from a
 * parse of the block's head and the cursor's line (see statement-at.ts)
 * without that word: what follows the cursor up to `chunkEnd` completes the
 * slot or, where nothing does, a placeholder value, as an empty slot would
 * throw the parse off the rest of the call.
 */
export function namesAfter(text: string, before: readonly IToken[], owner: number, wordStart: number, offset: number, chunkEnd: number): string[] {
  const filler = SLOT_ENDS.test(text.slice(offset, offset + 200)) ? PLACEHOLDER : "";
  // Offsets after the cursor move back by the word left out.
  const filled = text.slice(0, wordStart) + filler + text.slice(offset, chunkEnd);
  const after = restOfStatement(filled, wordStart);
  const found = ownerIn(blocksAroundLine([...before, ...after], before.length, filled.length), owner);
  return found?.args.flatMap((a) => (a.name && a.name.span.start >= wordStart + filler.length ? [a.name.name] : [])) ?? [];
}

/**
 * The tokens of `text` from `start` to at least the line break that ends the
 * statement there: growing windows of the text are lexed until one holds a
 * line break the lexer keeps with two tokens after it (the window's end then
 * decided neither the break nor the token after it), or the text ends. A
 * statement's rest costs its own length, not its block's.
 */
function restOfStatement(text: string, start: number): IToken[] {
  for (let size = 512; ; size *= 4) {
    const end = Math.min(text.length, start + size);
    const { tokens } = lexSlice(text, start, end);
    const ended = tokens.findIndex((t) => t.tokenType === Newline);
    if (end === text.length || (ended >= 0 && ended < tokens.length - 2)) return tokens;
  }
}

type Owner = A.CallExpr | A.Setting;

function ownerIn(blocks: readonly A.Block[], start: number): Owner | undefined {
  for (const block of blocks) {
    if (start < block.span.start || start >= block.span.end) continue;
    if (block.kind === "TaskDecl") return block.call && inExpr(block.call, start);
    if (block.kind === "ModelBlock" && block.input) {
      const found = inExpr(block.input, start);
      if (found) return found;
    }
    for (const statement of block.body) {
      const found = inStatement(statement, start);
      if (found) return found;
    }
  }
  return undefined;
}

function inStatement(statement: A.Statement, start: number): Owner | undefined {
  if (statement.kind === "Setting") return statement.keyword.span.start === start ? statement : inExprs(statement.args.map((a) => a.value), start);
  return inExpr(statement.call, start) ?? inExprs(statement.clauses.flatMap((c) => c.targets), start);
}

function inExpr(expr: A.Expr, start: number): Owner | undefined {
  if (expr.kind === "Call") return expr.callee.span.start === start ? expr : inExprs(expr.args.map((a) => a.value), start);
  return expr.kind === "List" ? inExprs(expr.items, start) : undefined;
}

function inExprs(exprs: readonly (A.Expr | undefined)[], start: number): Owner | undefined {
  for (const expr of exprs) {
    const found = expr && inExpr(expr, start);
    if (found) return found;
  }
  return undefined;
}
