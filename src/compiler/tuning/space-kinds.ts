import type * as A from "../syntax/ast.js";

/** The search spaces a value may be written as; the catalog documents each. */
export const SPACE_KINDS = ["choice", "uniform", "log_uniform", "int_uniform"] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];

/** Whether an expression is a search space. Not a type guard: an expression that is none may still be a call. */
export function isSpace(expr: A.Expr | undefined): boolean {
  return expr?.kind === "Call" && (SPACE_KINDS as readonly string[]).includes(expr.callee.name);
}
