import * as A from "../syntax/ast.js";
import type { CheckContext } from "./context.js";

/** The largest whole number a setting or argument that counts (epochs, units, batch) may hold unless the catalog says otherwise (seeds: 2³² − 1): what an int32 holds. */
export const INTEGER_MAX = 2 ** 31 - 1;

/**
 * Reports every number literal past float range, wherever it is written:
 * `1e999` reads as Infinity (binding then treats it as absent, so it is
 * reported once), `1e-400` as 0.
 */
export function reportOutOfRangeNumbers(ctx: CheckContext, root: A.SpecFile): void {
  if (!MAY_READ_PAST_FLOAT_RANGE.test(ctx.text)) return;
  for (const block of root.blocks) {
    for (const number of outOfRangeNumbersIn(block)) ctx.sink.report(Number.isFinite(number.value) ? "REG2011" : "REG2010", number.span, { raw: number.raw });
  }
}

/**
 * A literal reads past float range (beyond 1.8e308, or nearer 0 than
 * 5e-324) only with an exponent of three digits, over two hundred digits
 * before its point, or three hundred zeros after it: a text with none, as
 * nearly every spec is, holds no such literal, and its tree need not be
 * walked.
 */
const MAY_READ_PAST_FLOAT_RANGE = /[eE][+-]?\d{3}|\d{200}|\.0{300}/;

/** Per block, since trees are never mutated and an editor re-checks mostly unchanged blocks. */
const foundInBlock = new WeakMap<A.Block, A.NumberLit[]>();

function outOfRangeNumbersIn(block: A.Block): A.NumberLit[] {
  let found = foundInBlock.get(block);
  if (!found) {
    found = [];
    collectOutOfRange(block, found);
    foundInBlock.set(block, found);
  }
  return found;
}

/** Walks every place a block holds a value; a number literal is a leaf. */
function collectOutOfRange(block: A.Block, found: A.NumberLit[]): void {
  const visit = (expr: A.Expr | undefined): void => {
    if (!expr) return;
    if (expr.kind === "Number") {
      if (pastFloatRange(expr)) found.push(expr);
    } else if (expr.kind === "List") for (const item of expr.items) visit(item);
    else if (expr.kind === "Call") for (const arg of expr.args) visit(arg.value);
  };
  if (block.kind === "ModelBlock") visit(block.input);
  if (block.kind === "TaskDecl") visit(block.call);
  for (const statement of A.blockBody(block)) {
    if (statement.kind === "Setting") for (const arg of statement.args) visit(arg.value);
    else {
      visit(statement.call);
      for (const clause of statement.clauses) for (const target of clause.targets) visit(target);
    }
  }
}

/** A literal that reads as Infinity, or as 0 with a digit other than 0 before its exponent. */
export function pastFloatRange(number: A.NumberLit): boolean {
  return !Number.isFinite(number.value) || (number.value === 0 && /^[^eE]*[1-9]/.test(number.raw));
}
