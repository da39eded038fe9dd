import type * as A from "../syntax/ast.js";
import type { CheckContext } from "./context.js";

/** The largest whole number a setting or argument that counts (epochs, units, batch) may hold unless the catalog says otherwise (seeds: 2³² − 1): what an int32 holds. */
export const INTEGER_MAX = 2 ** 31 - 1;

/**
 * Reports every number literal past float range (`1e999` reads as
 * Infinity), wherever it is written; binding then treats it as absent, so
 * it is reported once.
 */
export function reportNonFiniteNumbers(ctx: CheckContext, root: A.SpecFile): void {
  for (const block of root.blocks) {
    for (const number of nonFiniteNumbersIn(block)) ctx.sink.report("REG2010", number.span, { raw: number.raw });
  }
}

/** Per block, since trees are never mutated and an editor re-checks mostly unchanged blocks. */
const foundInBlock = new WeakMap<A.Block, A.NumberLit[]>();

function nonFiniteNumbersIn(block: A.Block): A.NumberLit[] {
  let found = foundInBlock.get(block);
  if (!found) {
    found = [];
    collectNonFinite(block, found);
    foundInBlock.set(block, found);
  }
  return found;
}

/** Walks any node: a number literal is a leaf; spans hold no numbers to report. */
function collectNonFinite(node: unknown, found: A.NumberLit[]): void {
  if (typeof node !== "object" || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) collectNonFinite(item, found);
    return;
  }
  const record = node as Record<string, unknown>;
  if (record["kind"] === "Number") {
    const number = record as unknown as A.NumberLit;
    if (!Number.isFinite(number.value)) found.push(number);
    return;
  }
  for (const key in record) if (key !== "span") collectNonFinite(record[key], found);
}
