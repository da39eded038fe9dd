import type { IToken } from "chevrotain";
import type * as A from "../compiler/syntax/ast.js";
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
  const rest = text.slice(offset, chunkEnd);
  const filler = SLOT_ENDS.test(rest) ? PLACEHOLDER : "";
  // Offsets after the cursor move back by the word left out.
  const filled = text.slice(0, wordStart) + filler + rest;
  const { tokens: after } = lexSlice(filled, wordStart, filled.length);
  const found = ownerIn(blocksAroundLine([...before, ...after], before.length, filled.length), owner);
  return found?.args.flatMap((a) => (a.name && a.name.span.start >= wordStart + filler.length ? [a.name.name] : [])) ?? [];
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
