import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/span.js";
import type { CheckContext } from "./context.js";
import { didYouMean } from "./suggest.js";

/** Reports a glob used where a name is declared; true when the name is a plain one. */
export function validName(ctx: CheckContext, name: A.Identifier): boolean {
  if (!name.name.includes("*")) return true;
  ctx.sink.report("REG1017", name.span, { name: name.name });
  return false;
}

/**
 * Reports a data or model name that no block declares, unless a block of
 * that kind lost its name to a syntax error, a block of an unknown kind was
 * written with that name, or two blocks declare it (each reported there):
 * the name may be that block's.
 */
export function reportUnknownBlockName(ctx: CheckContext, what: "data" | "model", name: string, at: Span, declared: Iterable<string>): void {
  if (ctx.nameless?.has(what) || ctx.namesOfUnknownBlocks?.has(name) || ctx.declaredTwice?.has(name)) return;
  ctx.sink.report("REG1005", at, { what, name, where: "" }, didYouMean(name, at, declared));
}
