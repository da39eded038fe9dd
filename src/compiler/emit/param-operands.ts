import * as A from "../syntax/ast.js";
import type { ClauseUse, ModelInfo, Program } from "../checker/program.js";
import { pairArgs } from "../checker/args.js";
import { camelCase, literal } from "./literal.js";

/**
 * §7.9: the parameters `tie` and `soft_tie` take, written as the runtime
 * takes them: `"dec.kernel"`, or `reg.transpose("enc.kernel")`.
 */

/** The code of each parameter argument of a clause (those a `transpose(…)` may wrap), by argument name. */
export function operandArgs(use: ClauseUse): Record<string, string> {
  const written: Record<string, string> = {};
  for (const { arg, spec } of pairArgs(use.statement.call.args, use.technique.args)) {
    const code = arg.value && operandCode(arg.value);
    if (spec?.type.kind === "ref" && spec.type.wrappedBy && code) written[spec.name] = code;
  }
  return written;
}

function operandCode(expr: A.Expr): string | undefined {
  if (expr.kind === "Ref") return literal(A.refText(expr));
  const inner = expr.kind === "Call" ? expr.args[0]?.value : undefined;
  if (expr.kind !== "Call" || inner?.kind !== "Ref") return undefined;
  return `reg.${camelCase(expr.callee.name)}(${literal(A.refText(inner))})`;
}

/** A model's hard ties: each tied parameter and the parameter whose variable it uses, chains (`c` → `b` → `a`) followed. */
export function tiedParams(program: Program, model: ModelInfo): Map<string, string> {
  const direct = new Map<string, string>();
  for (const use of sharingClauses(program, model)) {
    const byName = new Map(pairArgs(use.statement.call.args, use.technique.args).map(({ arg, spec }) => [spec?.name, arg.value && paramOf(arg.value)]));
    const [a, b] = use.technique.args.map((spec) => byName.get(spec.name));
    if (a && b) direct.set(a, b);
  }
  const tied = new Map<string, string>();
  for (const [param, first] of direct) {
    let source = first;
    const seen = new Set([param]);
    // A cycle of ties stops here; the model itself refuses it when built.
    while (direct.has(source) && !seen.has(source)) {
      seen.add(source);
      source = direct.get(source)!;
    }
    tied.set(param, source);
  }
  return tied;
}

/** Clauses that make parameters one variable (`tie`): the model is built with them. */
export function sharingClauses(program: Program, model: ModelInfo): ClauseUse[] {
  return program.regularize.flatMap((block) => (block.model === model ? block.uses.filter((use) => use.technique.hooks.includes("share_params")) : []));
}

function paramOf(expr: A.Expr): string | undefined {
  if (expr.kind === "Ref") return A.refText(expr);
  const inner = expr.kind === "Call" ? expr.args[0]?.value : undefined;
  return inner?.kind === "Ref" ? A.refText(inner) : undefined;
}
