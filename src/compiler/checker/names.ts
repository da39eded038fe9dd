import type * as A from "../syntax/ast.js";
import type { CheckContext } from "./context.js";

/** Reports a glob used where a name is declared; true when the name is a plain one. */
export function validName(ctx: CheckContext, name: A.Identifier): boolean {
  if (!name.name.includes("*")) return true;
  ctx.sink.report("REG1017", name.span, { name: name.name });
  return false;
}
