import { operandParam } from "../binder/bound-call.js";
import type { ClauseUse, ModelInfo, Program } from "../checker/program.js";
import { camelCase, literal } from "./literal.js";

/**
 * §7.9: the parameters `tie` and `soft_tie` take, written as the runtime
 * takes them: `"dec.kernel"`, or `reg.transpose("enc.kernel")`.
 */

/** The code of each parameter argument of a clause (those a `transpose(…)` may wrap), by argument name. */
export function operandArgs(use: ClauseUse): Record<string, string> {
  const written: Record<string, string> = {};
  for (const spec of use.technique.args) {
    const param = operandParam(use.call, spec.name);
    if (spec.type.kind !== "ref" || !spec.type.wrappedBy || param === undefined) continue;
    const wrapper = use.call.calls[spec.name];
    written[spec.name] = wrapper ? `reg.${camelCase(wrapper.name)}(${literal(param)})` : literal(param);
  }
  return written;
}

/** A model's hard ties: each tied parameter and the parameter whose variable it uses, chains (`c` → `b` → `a`) followed. */
export function tiedParams(program: Program, model: ModelInfo): Map<string, string> {
  const direct = new Map<string, string>();
  for (const use of sharingClauses(program, model)) {
    const [a, b] = use.technique.args.map((spec) => operandParam(use.call, spec.name));
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
