import { INTEGER_MAX, pastFloatRange } from "./numbers.js";
import * as A from "../syntax/ast.js";
import type { ArgSpec, Quantity, Value } from "../catalog/types.js";
import * as catalog from "../catalog/index.js";
import type { DiagnosticSink, ReportExtras } from "../diagnostics/report.js";
import type { Span } from "../syntax/span.js";
import { didYouMean, formatList, nearest } from "./suggest.js";
import { plural } from "../../shared/plural.js";
import { checkSpace } from "./spaces.js";
import { unquoteFix } from "./quoted-value.js";
import { isSpace } from "../tuning/space-kinds.js";
import type { BoundCall, LengthUnit } from "../binder/bound-call.js";

/**
 * Binds a call's arguments to the catalog's argument specs and checks each
 * value's type, unit and range. References, columns and metrics need the
 * rest of the spec to judge; the caller checks those through `special`.
 */

export const UNITS = ["deg", "px", "%"] as const;

/** What a number argument measures, which decides the units it may be written in. */
export type WrittenQuantity = Quantity | "fraction";

const UNITS_BY_QUANTITY: Record<WrittenQuantity, readonly string[]> = {
  angle: ["deg"],
  pixels: ["px", "%"],
  fraction: ["%"],
};

/**
 * The catalog's quantity, or a fraction for any argument whose range lies
 * in [0, 1] (a probability, a rate, a share): each of those takes `10%`
 * as 0.1 alike, with no entry left to mark by hand.
 */
export function quantityOf(spec: ArgSpec): WrittenQuantity | undefined {
  if (spec.type.kind !== "number" && spec.type.kind !== "range") return undefined;
  if (spec.type.quantity) return spec.type.quantity;
  const withinUnit = spec.min !== undefined && spec.min >= 0 && spec.max !== undefined && spec.max <= 1;
  return withinUnit ? "fraction" : undefined;
}

/** A bound call, with the expression each argument was written as: for checks that point at one. */
export interface Bound extends BoundCall {
  values: Record<string, Value | undefined>;
  units: Record<string, LengthUnit>;
  calls: Record<string, Bound>;
  exprs: Record<string, A.Expr>;
}

export interface BindContext {
  sink: DiagnosticSink;
  /** Judges a `ref`, `column` or `metric` value in the context of the spec. */
  special?: (spec: ArgSpec, expr: A.Expr) => void;
}

/** How one written argument binds: to a spec, or not at all and why. */
export type Pairing =
  | { arg: A.Arg; spec: ArgSpec }
  | { arg: A.Arg; spec?: undefined; problem: "binding" | "unknown name" | "no positional left" };

/**
 * The binding rule, shared by the checker and the editor: a named argument
 * binds to the spec of that name; positional ones bind in declaration order
 * to the positional specs, a variadic one taking all the rest.
 */
export function pairArgs(args: readonly A.Arg[], specs: readonly ArgSpec[]): Pairing[] {
  // Index into `specs` of the next positional spec.
  let next = nextPositional(specs, 0);
  return args.map((arg): Pairing => {
    if (arg.form === "binding") return { arg, problem: "binding" };
    if (arg.name) {
      const spec = specs.find((s) => s.name === arg.name!.name);
      return spec ? { arg, spec } : { arg, problem: "unknown name" };
    }
    const spec = specs[next];
    if (!spec) return { arg, problem: "no positional left" };
    if (!spec.variadic) next = nextPositional(specs, next + 1);
    return { arg, spec };
  });
}

function nextPositional(specs: readonly ArgSpec[], from: number): number {
  let index = from;
  while (index < specs.length && !specs[index]!.positional) index++;
  return index;
}

export function bindArgs(callee: string, calleeSpan: Span, args: readonly A.Arg[], specs: readonly ArgSpec[], ctx: BindContext): Bound {
  const bound: Bound = { name: callee, values: {}, units: {}, calls: {}, exprs: {} };
  /** The argument that gave each spec, by spec name: a record, as the bound call's own fields are, not a map per call. */
  const given: Record<string, A.Arg> = {};
  const variadicItems: A.Expr[] = [];
  const unknownNames: string[] = [];

  // A hole is where recovery skipped tokens the parser already reported; binding it would report them again.
  const written = args.some(isHole) ? args.filter((arg) => !isHole(arg)) : args;
  for (const pairing of pairArgs(written, specs)) {
    const { arg, spec } = pairing;
    if (!spec) {
      if (pairing.problem === "binding") {
        ctx.sink.report("REG0001", arg.span, { detail: `\`=\` binds a name only in a setting; write \`${arg.name?.name ?? "name"}: …\` for a named argument` });
      } else if (pairing.problem === "unknown name") {
        unknownNames.push(arg.name!.name);
        ctx.sink.report("REG1004", arg.name!.span, { callee, name: arg.name!.name }, unknownArgumentHint(arg.name!.name, arg.name!.span, specs));
      } else {
        ctx.sink.report("REG2004", arg.span, { callee, max: plural(specs.filter((s) => s.positional).length, "positional argument") });
      }
      continue;
    }
    if (spec.variadic && !arg.name) {
      if (arg.value) variadicItems.push(arg.value);
      given[spec.name] = arg;
      continue;
    }
    if (Object.hasOwn(given, spec.name)) {
      ctx.sink.report("REG2005", arg.span, { what: "argument", name: spec.name }, { related: [{ span: given[spec.name]!.span, message: "first given here" }] });
      continue;
    }
    given[spec.name] = arg;
    if (!arg.value) continue;
    bound.exprs[spec.name] = arg.value;
    bound.values[spec.name] = checkValue(callee, spec, arg.value, ctx, bound.calls);
    const unit = lengthUnit(spec, arg.value);
    if (unit && bound.values[spec.name] !== undefined) bound.units[spec.name] = unit;
  }

  const variadic = variadicItems.length > 0 ? specs.find((s) => s.positional && s.variadic) : undefined;
  if (variadic) {
    // One list in place of the values (`reshape([13, 13, 4])`) is the same values written as a list.
    const only = variadicItems.length === 1 && variadicItems[0]!.kind === "List" ? variadicItems[0] : undefined;
    const list: A.ListExpr = only ?? { kind: "List", items: variadicItems, span: { start: variadicItems[0]!.span.start, end: variadicItems[variadicItems.length - 1]!.span.end } };
    bound.exprs[variadic.name] = list;
    bound.values[variadic.name] = checkValue(callee, variadic, list, ctx, bound.calls);
  }

  for (const spec of specs) {
    if (Object.hasOwn(given, spec.name)) continue;
    // A misspelled name (`kernal:`) is reported once, not again as the missing `kernel`.
    if (spec.required && !unknownNames.some((name) => nearest(name, [spec.name]) === spec.name)) {
      ctx.sink.report("REG2003", calleeSpan, { callee, name: spec.name }, { hint: `${spec.name}: ${spec.doc}` });
    } else if (spec.default !== undefined) {
      bound.values[spec.name] = spec.default;
    }
  }
  return bound;
}

function isHole(arg: A.Arg): boolean {
  return !arg.value && !arg.name;
}

/** A length is a fraction of the image side when every number of it is written in `%`, pixels otherwise. */
function lengthUnit(spec: ArgSpec, expr: A.Expr): LengthUnit | undefined {
  const type = spec.type;
  if ((type.kind !== "number" && type.kind !== "range") || type.quantity !== "pixels") return undefined;
  const numbers = expr.kind === "List" ? expr.items : [expr];
  return numbers.every((item) => item.kind === "Number" && item.unit === "%") ? "fraction" : "px";
}

/** A number literal's value, `%` read as a fraction: the one place a percentage becomes a number. */
export function numberInUnits(expr: A.NumberLit): number {
  return expr.unit === "%" ? expr.value / 100 : expr.value;
}

const QUANTITY_TEXT: Record<WrittenQuantity, string> = {
  angle: "an angle (e.g. `10deg`)",
  pixels: "a length (e.g. `2px` or `10%`)",
  fraction: "a fraction (e.g. `0.1` or `10%`)",
};

export function describeType(spec: ArgSpec): string {
  const type = spec.type;
  switch (type.kind) {
    case "number": {
      const quantity = quantityOf(spec);
      return quantity ? QUANTITY_TEXT[quantity] : "a number";
    }
    case "integer":
      return "an integer";
    case "boolean":
      return "`true` or `false`";
    case "string":
      return "a string";
    case "enum":
      return `one of ${formatList(type.values)}`;
    case "range":
      return "a number or a `[low, high]` pair";
    case "integers":
      return "an integer or a list of integers";
    case "metric":
      return "a metric name (e.g. `val_loss`)";
    case "ref":
      return {
        param: "a parameter (e.g. `h1.kernel`)",
        layer: "a layer name",
        model: "a model name",
        target: "a data target (e.g. `digits.label`, or `digits.input`)",
      }[type.to];
    case "call": {
      const family = type.family.replace("_", " ");
      return `${/^[aeiou]/.test(family) ? "an" : "a"} ${family} (e.g. ${formatList(catalog.functionsOf(type.family).map((f) => f.name), 4)})`;
    }
    case "column":
      return "a column name";
  }
}

export function describeExpr(expr: A.Expr): string {
  switch (expr.kind) {
    case "Number":
      return expr.unit ? `\`${expr.raw}\`` : `the number ${expr.raw}`;
    case "String":
      return "a string";
    case "Bool":
      return `\`${expr.value}\``;
    case "Ref":
      return `\`${A.refText(expr)}\``;
    case "List":
      return "a list";
    case "Call":
      return `a call to \`${expr.callee.name}\``;
  }
}

/**
 * A number written as other languages write them (`0x10`, `0b1010`,
 * `0o17`, `3_000`): the notation, and the same number in decimal. The
 * lexer reads the letters and digits after `0` or the first digits as a
 * unit, so the literal arrives whole.
 */
function foreignNumeral(raw: string): { notation: string; decimal: string } | undefined {
  const sign = raw.startsWith("-") ? "-" : "";
  const digits = raw.slice(sign.length);
  for (const { prefix, base, notation } of RADIX_NOTATIONS) {
    if (prefix.test(digits)) return { notation, decimal: `${sign}${Number.parseInt(digits.slice(2), base)}` };
  }
  if (/^\d+(?:_\d+)+$/.test(digits)) return { notation: "digits grouped with `_`", decimal: `${sign}${digits.replaceAll("_", "")}` };
  return undefined;
}

const RADIX_NOTATIONS = [
  { prefix: /^0[xX][0-9a-fA-F]+$/, base: 16, notation: "hexadecimal" },
  { prefix: /^0[bB][01]+$/, base: 2, notation: "binary" },
  { prefix: /^0[oO][0-7]+$/, base: 8, notation: "octal" },
];

/** How messages name an argument; a setting's single value is named by the setting. */
function argLabel(callee: string, spec: ArgSpec): string {
  return spec.name === "value" ? `\`${callee}\`` : `\`${callee}\` argument \`${spec.name}\``;
}

function wrongType(callee: string, spec: ArgSpec, expr: A.Expr, ctx: BindContext): undefined {
  // A unit on an argument that takes none: say so, and where units belong.
  const unit = expr.kind === "Number" && quantityOf(spec) === undefined ? expr.unit : undefined;
  const expected = unit === undefined ? describeType(spec) : `${describeType(spec)} without a unit`;
  const extras = unit === undefined ? unquoteFix(spec, expr) : { hint: `write it without \`${unit}\`: ${UNIT_USES[unit] ?? "units belong to angles, lengths and fractions"}` };
  ctx.sink.report("REG2002", expr.span, { what: argLabel(callee, spec), expected, actual: describeExpr(expr) }, extras);
  return undefined;
}

const UNIT_USES: Record<string, string> = {
  "%": "a percentage is for arguments in [0, 1] (`dropout(50%)`, `label_smoothing(10%)`) and lengths (`crop: 10%`)",
  deg: "degrees are for angles (`rotate: 15deg`)",
  px: "pixels are for lengths (`translate: 2px`)",
};

/** Converts a number literal to its value in the argument's quantity, checking the unit. */
function numberValue(callee: string, spec: ArgSpec, expr: A.NumberLit, ctx: BindContext): number | undefined {
  // Past float range: reported as REG2010 or REG2011 for every literal, wherever it is.
  if (pastFloatRange(expr)) return undefined;
  if (expr.unit === undefined) return expr.value;
  if (!(UNITS as readonly string[]).includes(expr.unit)) {
    const unitStart = expr.span.end - expr.unit.length;
    ctx.sink.report("REG1015", { start: unitStart, end: expr.span.end }, { unit: expr.unit }, didYouMean(expr.unit, { start: unitStart, end: expr.span.end }, UNITS));
    return undefined;
  }
  const quantity = quantityOf(spec);
  if (!quantity || !UNITS_BY_QUANTITY[quantity].includes(expr.unit)) {
    return wrongType(callee, spec, expr, ctx);
  }
  return numberInUnits(expr);
}

/** Reports a value outside the argument's range; true when it is inside. */
function checkRange(callee: string, spec: ArgSpec, value: number, at: Span, ctx: BindContext): boolean {
  const low = spec.min === undefined ? true : spec.minExclusive ? value > spec.min : value >= spec.min;
  const high = spec.max === undefined ? true : spec.maxExclusive ? value < spec.max : value <= spec.max;
  if (low && high) return true;
  ctx.sink.report("REG2001", at, { what: argLabel(callee, spec), range: describeRange(spec), value: formatNumber(value) });
  return false;
}

export function describeRange(spec: ArgSpec): string {
  const { min, max } = spec;
  if (min !== undefined && max !== undefined) {
    return `in ${spec.minExclusive ? "(" : "["}${min}, ${max}${spec.maxExclusive ? ")" : "]"}`;
  }
  if (min !== undefined) return `${spec.minExclusive ? ">" : "≥"} ${min}`;
  if (max !== undefined) return `${spec.maxExclusive ? "<" : "≤"} ${max}`;
  return "any number";
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

/** Checks one argument's value; a call in it (`adam(…)`, `transpose(…)`) is bound into `calls`. */
function checkValue(callee: string, spec: ArgSpec, expr: A.Expr, ctx: BindContext, calls: Record<string, Bound> = {}): Value | undefined {
  if (isSpace(expr)) return checkSpace(argLabel(callee, spec), spec, expr as A.CallExpr, ctx, (point) => checkValue(callee, spec, point, ctx));
  const numeral = expr.kind === "Number" ? expr : undefined;
  const foreign = numeral && foreignNumeral(numeral.raw);
  if (numeral && foreign) {
    const fix = { title: `Write \`${foreign.decimal}\``, edits: [{ span: numeral.span, newText: foreign.decimal }] };
    ctx.sink.report("REG2002", numeral.span, { what: argLabel(callee, spec), expected: "a number written in decimal", actual: `\`${numeral.raw}\`, ${foreign.notation}` }, { hint: `write \`${foreign.decimal}\``, fix });
    return undefined;
  }
  const type = spec.type;
  switch (type.kind) {
    case "number": {
      if (expr.kind !== "Number") return wrongType(callee, spec, expr, ctx);
      const value = numberValue(callee, spec, expr, ctx);
      // An out-of-range value is reported and dropped: nothing downstream computes with it.
      return value !== undefined && checkRange(callee, spec, value, expr.span, ctx) ? value : undefined;
    }
    case "integer": {
      if (expr.kind === "Number" && pastFloatRange(expr)) return undefined;
      if (expr.kind !== "Number" || expr.unit !== undefined || !Number.isInteger(expr.value)) return wrongType(callee, spec, expr, ctx);
      return checkRange(callee, spec, expr.value, expr.span, ctx) && checkIntegerMax(callee, spec, expr.value, expr.span, ctx) ? expr.value : undefined;
    }
    case "boolean":
      return expr.kind === "Bool" ? expr.value : wrongType(callee, spec, expr, ctx);
    case "string":
      return expr.kind === "String" ? expr.value : wrongType(callee, spec, expr, ctx);
    case "enum": {
      if (expr.kind !== "Ref" || expr.segments.length !== 1) return wrongType(callee, spec, expr, ctx);
      const word = expr.segments[0]!;
      if (!type.values.includes(word.name)) {
        // A setting's value (`method halving`) is named after its keyword.
        ctx.sink.report("REG1010", word.span, { value: word.name, what: `\`${spec.name === "value" ? callee : spec.name}\`` }, didYouMean(word.name, word.span, type.values));
        return undefined;
      }
      return word.name;
    }
    case "range": {
      if (expr.kind === "Number") {
        const value = numberValue(callee, spec, expr, ctx);
        if (value !== undefined) checkRange(callee, spec, value, expr.span, ctx);
        if (value !== undefined && type.around !== undefined) checkHalfWidth(callee, spec, type.around, value, expr.span, ctx);
        return value;
      }
      if (expr.kind !== "List" || expr.items.length !== 2 || expr.items.some((i) => i.kind !== "Number")) return wrongType(callee, spec, expr, ctx);
      const pair = (expr.items as A.NumberLit[]).map((item) => numberValue(callee, spec, item, ctx));
      if (pair.some((v) => v === undefined)) return undefined;
      const [low, high] = pair as [number, number];
      expr.items.forEach((item, i) => checkRange(callee, spec, pair[i]!, item.span, ctx));
      if (low > high) {
        ctx.sink.report("REG2001", expr.span, { what: argLabel(callee, spec), range: "a pair [low, high] with low ≤ high", value: `[${low}, ${high}]` });
      }
      return [low, high];
    }
    case "integers": {
      const items = expr.kind === "List" ? expr.items : [expr];
      const values: number[] = [];
      for (const item of items) {
        if (item.kind === "Number" && pastFloatRange(item)) return undefined;
        if (item.kind !== "Number" || item.unit !== undefined || !Number.isInteger(item.value)) return wrongType(callee, spec, item, ctx);
        if (checkRange(callee, spec, item.value, item.span, ctx)) checkIntegerMax(callee, spec, item.value, item.span, ctx);
        values.push(item.value);
      }
      // No numbers, or more than the argument has sides, is no size: dropped, so no shape is computed from it.
      if (values.length === 0 || (type.most !== undefined && values.length > type.most)) {
        const count = values.length === 0 ? "an empty list" : `${values.length} numbers`;
        ctx.sink.report("REG2001", expr.span, { what: argLabel(callee, spec), range: countOfIntegers(type.most), value: count }, { hint: `${spec.name}: ${spec.doc}` });
        return undefined;
      }
      return values;
    }
    case "call":
      return checkCallValue(callee, spec, type.family, expr, ctx, calls);
    case "ref":
      if (expr.kind === "Call" && type.wrappedBy) return checkCallValue(callee, spec, type.wrappedBy, expr, ctx, calls);
      if (expr.kind !== "Ref") return wrongType(callee, spec, expr, ctx);
      ctx.special?.(spec, expr);
      return A.refText(expr);
    case "metric":
    case "column": {
      const ok = type.kind === "column" ? expr.kind === "Ref" || expr.kind === "String" : expr.kind === "Ref";
      if (!ok) return wrongType(callee, spec, expr, ctx);
      ctx.special?.(spec, expr);
      return expr.kind === "String" ? expr.value : expr.kind === "Ref" ? A.refText(expr) : undefined;
    }
  }
}

/** How many numbers an `integers` argument takes, in words: "one or two whole numbers". */
function countOfIntegers(most: number | undefined): string {
  if (most === undefined) return "one or more whole numbers";
  return most === 2 ? "one or two whole numbers" : `1 to ${most} whole numbers`;
}

/** Where the catalog sets no maximum, an integer still must fit 32 bits: {@link INTEGER_MAX}. */
function checkIntegerMax(callee: string, spec: ArgSpec, value: number, at: Span, ctx: BindContext): boolean {
  if (spec.max !== undefined || value <= INTEGER_MAX) return true;
  ctx.sink.report("REG2001", at, { what: argLabel(callee, spec), range: `at most ${INTEGER_MAX}`, value: formatNumber(value) });
  return false;
}

/** A call of a catalog function family, or a bare word calling it with defaults. */
function checkCallValue(callee: string, spec: ArgSpec, family: catalog.FunctionFamily, expr: A.Expr, ctx: BindContext, calls: Record<string, Bound>): Value | undefined {
  const head = A.calleeOf(expr);
  if (!head) return wrongType(callee, spec, expr, ctx);
  const fn = catalog.fn(family, head.name);
  if (!fn) {
    ctx.sink.report("REG1013", head.span, { what: family.replace("_", " "), name: head.name }, didYouMean(head.name, head.span, catalog.functionsOf(family).map((f) => f.name)));
    return undefined;
  }
  calls[spec.name] = bindArgs(fn.name, head.span, expr.kind === "Call" ? expr.args : [], fn.args, ctx);
  return fn.name;
}

/** One number x for a range around a centre c means [c − x, c + x]: its low end must respect the argument's minimum too. */
function checkHalfWidth(callee: string, spec: ArgSpec, centre: number, halfWidth: number, at: Span, ctx: BindContext): void {
  if (spec.min === undefined) return;
  const low = centre - halfWidth;
  if (spec.minExclusive ? low > spec.min : low >= spec.min) return;
  const limit = centre - spec.min;
  ctx.sink.report("REG2001", at, {
    what: argLabel(callee, spec),
    range: `a number ${spec.minExclusive ? "below" : "at most"} ${limit} (one number x means [${centre} − x, ${centre} + x]), or a \`[low, high]\` pair`,
    value: String(halfWidth),
  });
}

/** The argument another framework calls `name` (Keras's `learning_rate` for `lr`), with a fix; else the nearest name. */
function unknownArgumentHint(name: string, at: Span, specs: readonly ArgSpec[]): ReportExtras {
  const meant = specs.find((spec) => spec.knownElsewhereAs?.includes(name));
  if (meant === undefined) return didYouMean(name, at, specs.map((s) => s.name));
  return {
    hint: `\`${name}\` is written \`${meant.name}\` here`,
    fix: { title: `Replace \`${name}\` with \`${meant.name}\``, edits: [{ span: at, newText: meant.name }] },
  };
}
