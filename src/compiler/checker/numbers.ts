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
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    const record = node as Record<string, unknown>;
    if (record["kind"] === "Number") {
      const number = record as unknown as A.NumberLit;
      if (!Number.isFinite(number.value)) ctx.sink.report("REG2010", number.span, { raw: number.raw });
      continue;
    }
    for (const [key, value] of Object.entries(record)) if (key !== "span") pending.push(value);
  }
}
