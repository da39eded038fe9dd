import * as A from "../syntax/ast.js";
import type { ArgSpec, Value } from "../catalog/types.js";
import * as catalog from "../catalog/index.js";
import type { BindContext } from "./args.js";
import { pairArgs } from "./args.js";
import { isSpace, type SpaceKind } from "../tuning/space-kinds.js";

/**
 * A search space written where a value goes (`dropout(uniform(0.2, 0.6))`):
 * every point it can take must be a valid value of that argument, so each
 * choice is checked as the argument would be, and a range's two bounds are.
 */

/** Checks one value of the argument in place of the space; `undefined` when it is invalid. */
export type PointCheck = (expr: A.Expr) => Value | undefined;

/** Argument types whose values name parts of the spec: a trial cannot vary those. */
const UNSEARCHABLE = new Set(["ref", "metric", "column"]);

/**
 * Checks a space standing for argument `spec`; returns the value the rest of
 * the checker reasons with (the first choice, or the low bound).
 */
export function checkSpace(what: string, spec: ArgSpec, space: A.CallExpr, ctx: BindContext, checkPoint: PointCheck): Value | undefined {
  const kind = space.callee.name as SpaceKind;
  if (UNSEARCHABLE.has(spec.type.kind)) {
    ctx.sink.report("REG2022", space.span, { detail: `${what} names part of the spec, which every trial shares: it cannot be searched` });
    return undefined;
  }
  const values = spaceArgs(kind, space, ctx);
  if (!values) return undefined;
  const nested = values.find((value) => isSpace(value));
  if (nested) {
    ctx.sink.report("REG2022", nested.span, { detail: "a search space cannot stand inside another one" }, { hint: "list the combinations as one `choice(…)` instead" });
    return undefined;
  }
  if (kind === "choice") {
    const points = values.map(checkPoint);
    return points.every((p) => p !== undefined) ? points[0] : undefined;
  }
  return checkRangeSpace(what, kind, spec, space, values, ctx, checkPoint);
}

/** The space's values in order: a `choice`'s options, or a range's `low` and `high`. */
function spaceArgs(kind: SpaceKind, space: A.CallExpr, ctx: BindContext): A.Expr[] | undefined {
  const specs = catalog.fn("search_space", kind)!.args;
  const pairs = pairArgs(space.args, specs);
  const stray = pairs.find((p) => !p.spec);
  if (stray) {
    const detail = kind === "choice" ? "`choice` takes its values without names: `choice(0.1, 0.5)`" : `\`${kind}\` takes two bounds: \`${kind}(low, high)\``;
    ctx.sink.report("REG2021", stray.arg.span, { detail });
    return undefined;
  }
  if (kind === "choice") {
    const options = space.args.flatMap((a) => (a.value ? [a.value] : []));
    if (options.length === 0) ctx.sink.report("REG2021", space.span, { detail: "`choice` needs at least one value: `choice(0.1, 0.5)`" });
    return options.length > 0 ? options : undefined;
  }
  const low = pairs.find((p) => p.spec?.name === "low")?.arg.value;
  const high = pairs.find((p) => p.spec?.name === "high")?.arg.value;
  if (!low || !high) {
    ctx.sink.report("REG2021", space.span, { detail: `\`${kind}\` takes two bounds: \`${kind}(low, high)\`` });
    return undefined;
  }
  return [low, high];
}

function checkRangeSpace(what: string, kind: Exclude<SpaceKind, "choice">, spec: ArgSpec, space: A.CallExpr, bounds: A.Expr[], ctx: BindContext, checkPoint: PointCheck): Value | undefined {
  const integerExpected = spec.type.kind === "integer";
  const numberExpected = spec.type.kind === "number" || spec.type.kind === "range";
  if (kind === "int_uniform" ? !integerExpected : !numberExpected) {
    const detail = integerExpected
      ? `${what} takes an integer: search it with \`int_uniform(low, high)\` or \`choice(…)\``
      : numberExpected
        ? `${what} takes any number, not only integers: search it with \`uniform(low, high)\` or \`log_uniform(low, high)\``
        : `${what} takes a word or a call, not a number: list the candidates with \`choice(…)\``;
    ctx.sink.report("REG2023", space.callee.span, { kind, detail });
    return undefined;
  }
  const [low, high] = bounds as [A.Expr, A.Expr];
  for (const bound of bounds) {
    if (bound.kind !== "Number") {
      ctx.sink.report("REG2021", bound.span, { detail: `the bounds of \`${kind}\` are numbers` });
      return undefined;
    }
  }
  const [lowLit, highLit] = [low as A.NumberLit, high as A.NumberLit];
  if (lowLit.unit !== highLit.unit) {
    ctx.sink.report("REG2021", high.span, { detail: `both bounds take the same unit: \`${lowLit.raw}\` and \`${highLit.raw}\`` });
    return undefined;
  }
  // Each bound is a value the space can take, so each is checked as the argument would be (range, unit, integer).
  const lowValue = checkPoint(low);
  const highValue = checkPoint(high);
  if (lowValue === undefined || highValue === undefined) return undefined;
  if (typeof lowValue !== "number" || typeof highValue !== "number") return lowValue;
  if (lowValue >= highValue) {
    ctx.sink.report("REG2021", space.span, { detail: `the low bound must be below the high bound: \`${kind}(${lowLit.raw}, ${highLit.raw})\`` });
    return undefined;
  }
  if (kind === "log_uniform" && lowValue <= 0) {
    ctx.sink.report("REG2020", low.span, { value: lowLit.raw });
    return undefined;
  }
  return lowValue;
}
