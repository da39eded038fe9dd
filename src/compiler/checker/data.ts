import * as A from "../syntax/ast.js";
import * as catalog from "../catalog/index.js";
import type { SettingSpec, Shape } from "../catalog/types.js";
import { resolveSource } from "../sources/index.js";
import { excerpt, quotedExcerpt, readsAsNumbers } from "../../shared/tabular/index.js";
import { splitRows } from "../../shared/split-rows.js";
import type { ColumnInfo, SourceSchema } from "../sources/schema.js";
import { bindArgs, numberInUnits } from "./args.js";
import type { CheckContext } from "./context.js";
import type { DataInfo, SplitInfo, TargetInfo } from "./program.js";
import { shapeText } from "./program.js";
import { collectSettings, requireSettings } from "./settings.js";
import { didYouMean, nearest } from "./suggest.js";
import { plural } from "../../shared/plural.js";
import { validName } from "./names.js";
import { checkFeatureScales } from "./feature-scales.js";
import { backslashPathHint, missingFileHint } from "./missing-file-hint.js";
import type { ReportExtras } from "../diagnostics/report.js";
import type { Code } from "../diagnostics/messages.js";
import { span, type Span } from "../syntax/span.js";
import { writtenColumn } from "../syntax/written-column.js";

/** Checks a `data` block: its source's schema, input type, targets, features and splits. */
export function checkData(ctx: CheckContext, block: A.DataBlock): DataInfo {
  const name = block.name?.name ?? "";
  const symbol = ctx.program.symbols.declare("data", name, block.name?.span ?? block.keyword);
  const info: DataInfo = { name, symbol, block, span: block.span, kind: "unknown", settings: new Map(), features: [], targets: new Map(), splits: new Map() };
  const { found: settings, meant } = collectSettings(ctx, "data", block.body);
  const byKind = (kind: SettingSpec["value"]["kind"], family?: string) =>
    settings.filter(({ spec }) => spec.value.kind === kind && (!family || ("family" in spec.value && spec.value.family === family)));

  requireSettings(ctx, "data", info.name, block, new Set(settings.map((s) => s.spec.name)), meant);
  if (meant.size > 0) info.misspelt = meant;

  const source = byKind("call", "source")[0];
  if (source) readSource(ctx, info, source.setting);

  const declaredInput = byKind("call", "input_type")[0];
  for (const { setting } of byKind("binding")) readTargets(ctx, info, setting);
  const features = byKind("columns")[0];
  if (features) readFeatures(ctx, info, features.setting);
  else if (info.kind === "table") info.features = defaultFeatures(info);
  inferInput(ctx, info, declaredInput?.setting);

  const words = new Map<string, string>();
  for (const { setting, spec } of settings) {
    if (spec.value.kind === "word") {
      const word = readWord(ctx, setting, spec.value.values);
      if (word) words.set(spec.name, word);
      if (word) info.settings.set(spec.name, { name: spec.name, values: { value: word }, units: {}, calls: {} });
    } else if (spec.value.kind === "args") {
      info.settings.set(spec.name, bindArgs(spec.name, setting.keyword.span, setting.args, spec.value.args, { sink: ctx.sink }));
    }
  }
  const normalize = settings.find(({ spec }) => spec.name === "normalize");
  const anchor = features?.setting ?? source?.setting;
  if (!meant.has("normalize")) checkFeatureScales(ctx, info, normalize && { setting: normalize.setting, word: words.get("normalize") }, anchor);
  const missingWritten = settings.some(({ spec }) => spec.name === "missing");
  // A `missing` value that is not a policy, or a `missing` setting misspelt, is already reported; which rows it leaves is unknown.
  const missing = missingWritten ? (words.get("missing") ?? "unknown") : meant.has("missing") ? "unknown" : undefined;
  const available = availableRows(ctx, info, missing);
  const split = byKind("named_sizes")[0];
  if (split && split.spec.value.kind === "named_sizes") readSplits(ctx, info, split.setting, split.spec.value.names, available);
  return info;
}

function readSource(ctx: CheckContext, info: DataInfo, setting: A.Setting): void {
  const expr = singleValue(ctx, setting);
  if (!expr) return;
  const head = A.calleeOf(expr);
  if (!head) {
    ctx.sink.report("REG1011", expr.span, { name: sourceText(ctx, expr) }, { hint: "write `mnist`, `csv(\"path\")` or `json(\"path\")`" });
    return;
  }
  const fn = catalog.fn("source", head.name);
  if (!fn) {
    ctx.sink.report("REG1011", head.span, { name: head.name }, didYouMean(head.name, head.span, catalog.functionsOf("source").map((f) => f.name)));
    return;
  }
  const bound = bindArgs(fn.name, head.span, expr.kind === "Call" ? expr.args : [], fn.args, { sink: ctx.sink });
  info.source = bound;
  const path = Object.values(bound.values).find((v): v is string => typeof v === "string");
  // A missing path argument is already reported by the binder.
  if (path === undefined && fn.args.some((a) => a.required)) return;
  const pathExpr = Object.values(bound.exprs)[0];
  // An unterminated string is already reported; its text is not a path.
  if (pathExpr?.kind === "String" && !ctx.text.slice(pathExpr.span.start, pathExpr.span.end).endsWith('"')) return;
  if (path?.trim() === "") {
    // Resolved, an empty path names the spec's own folder: say what is missing instead.
    ctx.sink.report("REG2001", pathExpr?.span ?? expr.span, { what: `\`${fn.name}\`'s path`, range: "a file's path", value: JSON.stringify(path) }, { hint: `write the data file's path, relative to the spec: \`${fn.name}("data.${fn.name}")\`` });
    return;
  }
  const resolution = resolveSource(fn.name as "mnist" | "csv" | "json", path, ctx.path, ctx.dataAccess);
  if (!resolution.ok) {
    const at = pathExpr?.span ?? expr.span;
    ctx.sink.report(resolution.code, at, resolution.params, sourceErrorExtras(ctx, resolution.code, path ?? "", at));
    return;
  }
  // Every column of a file with no rows would read as empty: one report says why.
  if (resolution.schema.kind === "table" && resolution.schema.rows === 0) {
    const reason = resolution.schema.columns.length > 0 ? "it names its columns but holds no rows" : "it holds no rows";
    ctx.sink.report("REG6002", pathExpr?.span ?? expr.span, { path: path ?? resolution.schema.label, reason });
    return;
  }
  info.schema = resolution.schema;
  info.kind = resolution.schema.kind;
  for (const column of resolution.schema.columns) {
    if (!column.firstNonFinite) continue;
    const { row, value } = column.firstNonFinite;
    ctx.sink.report("REG6012", pathExpr?.span ?? expr.span, { source: `\`${resolution.schema.label}\``, column: excerpt(column.name), row, value: String(value) });
  }
}

/** The hint (and fix) of a `source` that cannot be read. */
function sourceErrorExtras(ctx: CheckContext, code: Code, written: string, at: Span): ReportExtras {
  if (code === "REG6010") return { hint: "move the file into the project, or let the tools read its folder: `--allow-data FOLDER` (editor: `reglang.allowData`)" };
  if (code !== "REG6001") return {};
  return backslashPathHint(ctx.text.slice(at.start, at.end), at) ?? missingFileHint(written, ctx.path, ctx.dataAccess, at);
}

function sourceText(ctx: CheckContext, expr: A.Expr): string {
  return ctx.text.slice(expr.span.start, expr.span.end);
}

/** The one positional value of a setting like `source mnist`; reports extras. */
function singleValue(ctx: CheckContext, setting: A.Setting): A.Expr | undefined {
  const [first, ...rest] = setting.args;
  if (!first) {
    ctx.sink.report("REG2003", setting.keyword.span, { callee: setting.keyword.name, name: "value" });
    return undefined;
  }
  for (const extra of rest) ctx.sink.report("REG2004", extra.span, { callee: setting.keyword.name, max: plural(1, "value") });
  if (first.form !== "positional") {
    ctx.sink.report("REG2002", first.span, { what: `\`${setting.keyword.name}\``, expected: "a value", actual: "a named argument" });
    return undefined;
  }
  return first.value;
}

function readWord(ctx: CheckContext, setting: A.Setting, values: readonly string[]): string | undefined {
  const expr = singleValue(ctx, setting);
  if (!expr) return undefined;
  if (expr.kind !== "Ref" || expr.segments.length !== 1 || !values.includes(expr.segments[0]!.name)) {
    const word = expr.kind === "Ref" ? A.refText(expr) : sourceText(ctx, expr);
    ctx.sink.report("REG1010", expr.span, { value: word, what: `\`${setting.keyword.name}\` value` }, didYouMean(word, expr.span, values));
    return undefined;
  }
  return expr.segments[0]!.name;
}

function columnName(expr: A.Expr): { name: string; span: Span } | undefined {
  if (expr.kind === "String") return { name: expr.value, span: expr.span };
  if (expr.kind === "Ref" && expr.segments.length === 1) return { name: expr.segments[0]!.name, span: expr.span };
  return undefined;
}

/**
 * Checks that a column exists in the schema (did-you-mean otherwise) and,
 * where `notNumeric` is given, that it reads as numbers: `notNumeric` is
 * what to do when it does not, which depends on what the column is for.
 */
function checkColumn(ctx: CheckContext, data: DataInfo, column: { name: string; span: Span }, notNumeric?: string): boolean {
  const schema = data.schema;
  if (!schema) return false;
  const info = schema.columns.find((c) => c.name === column.name);
  if (!info) {
    // Only names a message can show whole are offered: a column name is the data file's content.
    const offered = schema.columns.map((c) => c.name).filter((name) => excerpt(name) === name);
    ctx.sink.report("REG1009", column.span, { source: schema.label, name: column.name }, didYouMean(column.name, column.span, offered, true, writtenColumn));
    return false;
  }
  ctx.program.symbols.refer(column.span, ctx.program.symbols.implied("column", column.name, data.symbol));
  if (notNumeric !== undefined && !readsAsNumbers(info.type)) {
    ctx.sink.report("REG6003", column.span, { column: column.name, source: schema.label, type: columnTypeText(info) }, { hint: numericHint(info, notNumeric) });
    return false;
  }
  return true;
}

function readTargets(ctx: CheckContext, info: DataInfo, setting: A.Setting): void {
  for (const arg of setting.args) {
    if (arg.form === "positional" && arg.value?.kind === "Ref" && arg.value.segments.length === 1 && arg.value.segments[0]!.name === "self") {
      info.targets.set("self", { name: "self", kind: "self", span: arg.value.span });
      continue;
    }
    if (arg.form !== "binding" || !arg.name || !arg.value) {
      ctx.sink.report("REG2002", arg.span, { what: "`target`", expected: "`NAME = class(…)`, `NAME = number(COLUMN)` or `self`", actual: "something else" });
      continue;
    }
    const name = arg.name;
    if (!validName(ctx, name)) continue;
    if (info.targets.has(name.name)) {
      ctx.sink.report("REG5001", name.span, { name: name.name }, { related: [{ span: info.targets.get(name.name)!.span, message: "first declared here" }] });
      continue;
    }
    // A target whose type is wrong is still declared: tasks that name it are not wrong too.
    const target: TargetInfo = readTargetType(ctx, info, name, arg.value) ?? { name: name.name, kind: "unknown", span: name.span };
    target.symbol = ctx.program.symbols.declare("target", name.name, name.span, info.symbol);
    info.targets.set(name.name, target);
  }
}

function readTargetType(ctx: CheckContext, info: DataInfo, name: A.Identifier, expr: A.Expr): TargetInfo | undefined {
  if (expr.kind !== "Call") {
    ctx.sink.report("REG2002", expr.span, { what: `target \`${name.name}\``, expected: "`class(…)` or `number(COLUMN)`", actual: "a value" });
    return undefined;
  }
  const fn = catalog.fn("target_type", expr.callee.name);
  if (!fn) {
    ctx.sink.report("REG1013", expr.callee.span, { what: "target type", name: expr.callee.name }, didYouMean(expr.callee.name, expr.callee.span, catalog.functionsOf("target_type").map((f) => f.name)));
    return undefined;
  }
  const schema = info.schema;
  // The one argument, written by position or by its catalog name (`class(count: 10)`, `number(column: mpg)`).
  const first = expr.args.find((a) => a.form === "positional" || (a.form === "named" && fn.args.some((spec) => spec.name === a.name?.name)))?.value;
  if (fn.name === "number") {
    const column = first && columnName(first);
    if (!column) {
      ctx.sink.report("REG2003", expr.callee.span, { callee: "number", name: "column" });
      return undefined;
    }
    checkColumn(ctx, info, column, "use `class(…)` for a column of labels");
    return { name: name.name, kind: "number", column: column.name, span: name.span };
  }
  // class(N): N classes of the source's own labels; class(COLUMN): labels from a column.
  if (first?.kind === "Number") {
    bindArgs("class", expr.callee.span, expr.args, fn.args, { sink: ctx.sink });
    if (schema?.classes !== undefined && first.value !== schema.classes) {
      ctx.sink.report("REG2001", first.span, { what: `the class count of \`${name.name}\``, range: `${schema.classes} (the labels of ${schema.label})`, value: first.value });
    }
    if (schema && schema.classes === undefined) {
      ctx.sink.report("REG2002", first.span, { what: `\`class\` on ${schema.label}`, expected: "a column of labels (`class(COLUMN)`)", actual: "a count" });
    }
    // A wrong count is reported once: what follows is checked against the labels the source has.
    return { name: name.name, kind: "class", classes: schema?.classes ?? first.value, span: name.span };
  }
  // `class()` on a source with labels of its own: their count.
  if (!first && schema?.classes !== undefined) return { name: name.name, kind: "class", classes: schema.classes, span: name.span };
  const column = first && columnName(first);
  if (!column) {
    ctx.sink.report("REG2003", expr.callee.span, { callee: "class", name: "count" }, { hint: "write the class count of the source's own labels (`class(10)`), or the column that holds the labels (`class(Origin)`)" });
    return undefined;
  }
  const found = checkColumn(ctx, info, column);
  const labels = found ? schema!.columns.find((c) => c.name === column.name)! : undefined;
  // Fewer than 2 classes is reported here once; the class count stays unknown to what follows.
  const classes = labels && labels.distinct >= 2 ? labels.distinct : undefined;
  // A column with no label at all is reported as missing values.
  if (labels && labels.distinct === 1) {
    const held = `1 (every label in ${schema!.label} is ${JSON.stringify(excerpt(labels.values?.[0] ?? ""))})`;
    ctx.sink.report("REG2001", column.span, { what: `the class count of \`${name.name}\``, range: "at least 2", value: held }, { hint: "a class target needs a column with two labels or more; use `number(…)` for a measured value" });
  }
  if (labels?.lookalikes) reportLookalikeLabels(ctx, column.span, labels, schema!.label);
  const listed = classes !== undefined && labels?.values?.length === classes ? { labels: labels.values } : {};
  return { name: name.name, kind: "class", column: column.name, span: name.span, ...(classes !== undefined ? { classes } : {}), ...listed };
}

/** Two labels that differ only in case or surrounding spaces: two classes, as training takes labels as written, where one was likely meant. */
function reportLookalikeLabels(ctx: CheckContext, at: Span, labels: ColumnInfo, source: string): void {
  const [first, second] = labels.lookalikes!;
  const [spaced, cased] = [first.value.trim() !== first.value || second.value.trim() !== second.value, first.value.trim() !== second.value.trim()];
  const difference = spaced && cased ? "case and surrounding spaces" : spaced ? "surrounding spaces" : "case";
  ctx.sink.report(
    "REG6013",
    at,
    { column: excerpt(labels.name), source, first: quotedExcerpt(first.value), firstRow: first.row, second: quotedExcerpt(second.value), secondRow: second.row, difference },
    { hint: "if they name one class, write them alike in the file: training reads each label exactly as written" },
  );
}

/** `text`, `mixed (record 7 is "n/a")`, `mixed (numbers, and row 4 is true)` or `nested JSON (item 1 … holds an array)`: what a non-numeric column holds, and where it first shows. */
function columnTypeText(column: ColumnInfo): string {
  if (column.firstNested) return `nested JSON (${column.firstNested.row} holds ${column.firstNested.holds})`;
  if (column.type === "string") return "text";
  if (column.type === "mixed" && column.firstText) return `mixed (${column.firstText.row} is ${JSON.stringify(column.firstText.value)})`;
  if (mixesNumbersAndBooleans(column)) return `mixed (numbers, and ${column.firstBoolean!.row} is ${column.firstBoolean!.value})`;
  return column.type;
}

/** How to make a column numeric: for numbers mixed with booleans, writing the booleans as numbers; else `otherwise`. */
function numericHint(column: ColumnInfo, otherwise: string): string {
  if (column.firstNested) return `a row holds one number here: give each number in the ${column.firstNested.holds === "an array" ? "arrays" : "objects"} a key of its own (a column) in every record`;
  return mixesNumbersAndBooleans(column) ? "write its booleans as 1 and 0: a column is numeric when every value is a number, or every value a boolean" : otherwise;
}

/** A mixed column without text holds numbers and booleans. */
function mixesNumbersAndBooleans(column: ColumnInfo): boolean {
  return column.type === "mixed" && !column.firstText && column.firstBoolean !== undefined;
}

function targetColumns(info: DataInfo): string[] {
  return [...info.targets.values()].flatMap((t) => (t.column ? [t.column] : []));
}

function defaultFeatures(info: DataInfo): string[] {
  const targets = new Set(targetColumns(info));
  return (info.schema?.columns ?? []).filter((c) => !targets.has(c.name)).map((c) => c.name);
}

function readFeatures(ctx: CheckContext, info: DataInfo, setting: A.Setting): void {
  const only = setting.args.length === 1 ? setting.args[0]!.value : undefined;
  if (only?.kind === "Ref" && only.segments.length === 1 && only.segments[0]!.name === "all") {
    info.features = defaultFeatures(info);
    for (const name of info.features) {
      const column = info.schema?.columns.find((c) => c.name === name);
      if (column && !readsAsNumbers(column.type)) {
        ctx.sink.report("REG6003", only.span, { column: excerpt(name), source: info.schema!.label, type: columnTypeText(column) }, { hint: numericHint(column, "list the numeric feature columns explicitly") });
      }
    }
    return;
  }
  const listed = new Map<string, Span>();
  for (const arg of setting.args) {
    const column = arg.value && arg.form === "positional" ? columnName(arg.value) : undefined;
    if (!column) {
      ctx.sink.report("REG2002", arg.span, { what: "`features`", expected: "column names (or `all`)", actual: "something else" });
      continue;
    }
    if (info.kind === "image") {
      ctx.sink.report("REG4001", column.span, { name: "features", data: info.name }, { hint: "image sources have no columns to choose; remove `features`" });
      continue;
    }
    const first = listed.get(column.name);
    if (first) {
      ctx.sink.report("REG2005", column.span, { what: "column", name: excerpt(column.name) }, { related: [{ span: first, message: "first given here" }] });
      continue;
    }
    listed.set(column.name, column.span);
    // The model would be given the very value it is asked to predict.
    const target = [...info.targets.values()].find((t) => t.column === column.name);
    if (target) {
      ctx.sink.report("REG6006", column.span, { column: excerpt(column.name), target: target.name }, { hint: `remove \`${excerpt(column.name)}\` from \`features\` (\`features all\` leaves the targets out)` });
      continue;
    }
    checkColumn(ctx, info, column, `a feature must hold numbers: write its values as numbers, or leave \`${excerpt(column.name)}\` out of \`features\``);
    info.features.push(column.name);
  }
}

function inferInput(ctx: CheckContext, info: DataInfo, declared: A.Setting | undefined): void {
  const sourceShape: Shape | undefined = info.kind === "image" ? info.schema?.imageShape : info.kind === "table" ? [info.features.length] : undefined;
  info.inputShape = sourceShape;
  if (!declared) return;
  const expr = singleValue(ctx, declared);
  if (!expr) return;
  const head = expr.kind === "Call" ? expr.callee : undefined;
  const fn = head && catalog.fn("input_type", head.name);
  if (!head || !fn) {
    const name = head?.name ?? sourceText(ctx, expr);
    ctx.sink.report("REG1013", head?.span ?? expr.span, { what: "input type", name }, didYouMean(name, head?.span ?? expr.span, catalog.functionsOf("input_type").map((f) => f.name)));
    return;
  }
  const bound = bindArgs(fn.name, head.span, expr.kind === "Call" ? expr.args : [], fn.args, { sink: ctx.sink });
  const dims = fn.args.flatMap((a) => {
    const v = bound.values[a.name];
    return typeof v === "number" ? [v] : Array.isArray(v) ? (v as number[]) : [];
  });
  if (dims.length === 0) return;
  const declaredShape: Shape = dims;
  if (sourceShape && shapeText(sourceShape) !== shapeText(declaredShape)) {
    ctx.sink.report("REG3007", expr.span, { declared: shapeText(declaredShape), source: info.schema?.label ?? "the source", actual: shapeText(sourceShape) });
    return;
  }
  info.inputShape = declaredShape;
}

function availableRows(ctx: CheckContext, info: DataInfo, missing: string | undefined): number | undefined {
  const schema = info.schema;
  if (!schema) return undefined;
  if (schema.kind === "image") return schema.rows;
  const used = [...new Set([...info.features, ...targetColumns(info)])];
  if (missing === "drop") {
    const complete = schema.completeRows(used);
    // Every row lacks something: one report names what, instead of one per split.
    if (complete === 0 && schema.rows > 0) reportMissingValues(ctx, info, schema, used, "drop");
    return complete;
  }
  // `mean` fills features only: a row without a target value drops all the same.
  if (missing === "mean") {
    const labelled = schema.completeRows(targetColumns(info));
    if (labelled === 0 && schema.rows > 0) reportMissingValues(ctx, info, schema, targetColumns(info), "mean");
    return labelled;
  }
  if (missing === undefined || missing === "error") reportMissingValues(ctx, info, schema, used, missing ?? "unset");
  return schema.rows;
}

/**
 * One report per data block: the rows a missing value makes unusable, and
 * the columns they lack. `policy`: the block's `missing` setting, which the
 * hint asks to add or change; under `drop` and `mean`, the gaps leave no row.
 */
function reportMissingValues(ctx: CheckContext, info: DataInfo, schema: SourceSchema, used: readonly string[], policy: keyof typeof MISSING_HINTS): void {
  const lacking = used.flatMap((name) => {
    const column = schema.columns.find((c) => c.name === name);
    return column && column.missing > 0 ? [{ name, missing: column.missing, first: column.firstMissing }] : [];
  });
  if (lacking.length === 0) return;
  const first = lacking.map((c) => c.first).reduce((a, b) => (b && (!a || b.index < a.index) ? b : a));
  const count = schema.rows - schema.completeRows(lacking.map((c) => c.name));
  // Per-column counts only where they differ from the total: a row lacking all of them counts once.
  const names = lacking.map((c) => `\`${excerpt(c.name)}\`${c.missing === count ? "" : ` (${plural(c.missing, "row")})`}`);
  const columns = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]!}`;
  const targets = new Set(targetColumns(info));
  const targetsOnly = lacking.every((c) => targets.has(c.name)) && (policy === "unset" || policy === "error");
  // A feature without a single value: dropping its gaps drops every row, and a mean of nothing fills none.
  const empty = lacking.filter((c) => c.missing === schema.rows && !targets.has(c.name)).map((c) => `\`${excerpt(c.name)}\``);
  const hint =
    empty.length > 0
      ? `${empty.join(", ")} ${empty.length === 1 ? "has" : "have"} no value in any row, which neither \`missing drop\` nor \`missing mean\` can make up for: leave ${empty.length === 1 ? "it" : "them"} out of \`features\``
      : targetsOnly
        ? TARGET_GAP_HINTS[policy]
        : MISSING_HINTS[policy];
  ctx.sink.report("REG6004", info.block.name?.span ?? info.block.keyword, { rows: plural(count, "row"), source: schema.label, columns, first: first?.row ?? "unknown" }, { hint });
}

/** Gaps in target columns alone: `missing mean` fills features only, so only `drop` helps; it leaves out the rows without a target. */
const TARGET_GAP_HINTS = {
  unset: "add `missing drop` to the data block to leave out the rows without a target (`missing mean` fills features only), or fill the gaps in the file",
  error: "change `missing error` to `missing drop` to leave out the rows without a target (`missing mean` fills features only), or fill the gaps in the file",
} as const;

const MISSING_HINTS = {
  unset: "add `missing drop` or `missing mean` to the data block",
  error: "change `missing error` to `missing drop` or `missing mean`",
  drop: "`missing drop` leaves no row: fill the gaps in features with `missing mean`, or leave out the columns that lack values",
  mean: "`missing mean` fills features only, and no row has its target: fill the target column in the file, or choose another",
} as const;

function readSplits(ctx: CheckContext, info: DataInfo, setting: A.Setting, names: readonly string[], available: number | undefined): void {
  let counts = 0;
  let fractions = 0;
  let countTotal = 0;
  let fractionTotal = 0;
  const sizes: Array<{ split: SplitInfo; value: number; fraction: boolean; written: A.Expr }> = [];
  for (const arg of setting.args) {
    if (arg.form !== "named" || !arg.name || !arg.value) {
      ctx.sink.report("REG2002", arg.span, { what: "`split`", expected: "named sizes like `train: 1000` or `train: 0.6`", actual: "something else" });
      continue;
    }
    const name = arg.name;
    if (!names.includes(name.name)) {
      ctx.sink.report("REG1004", name.span, { callee: "split", name: name.name }, didYouMean(name.name, name.span, names));
      continue;
    }
    if (info.splits.has(name.name)) {
      ctx.sink.report("REG2005", arg.span, { what: "split", name: name.name }, { related: [{ span: info.splits.get(name.name)!.span, message: "first given here" }] });
      continue;
    }
    const value = arg.value;
    const size = value.kind === "Number" && (value.unit === undefined || value.unit === "%") ? numberInUnits(value) : undefined;
    const fraction = size !== undefined && (value.kind === "Number" && value.unit === "%" ? true : size < 1);
    if (size === undefined || size <= 0 || (!fraction && !Number.isInteger(size)) || (fraction && size >= 1)) {
      ctx.sink.report("REG2001", value.span, { what: `split \`${name.name}\``, range: "a row count ≥ 1 or a fraction in (0, 1)", value: sourceText(ctx, value) });
      continue;
    }
    // `train: 1.0` looks like all the rows but reads as one.
    if (!fraction && /^[0-9]*\.[0-9]*$/.test(sourceText(ctx, value))) {
      ctx.sink.report(
        "REG2001",
        value.span,
        { what: `split \`${name.name}\``, range: "a row count written as a whole number, or a fraction in (0, 1)", value: sourceText(ctx, value) },
        { hint: `write \`${size}\` for ${plural(size, "row")}, or a fraction below 1 (\`0.8\`) for a share of the rows` },
      );
      continue;
    }
    const symbol = ctx.program.symbols.declare("split", name.name, name.span, info.symbol);
    const split: SplitInfo = { name: name.name, symbol, size, fraction, span: name.span };
    info.splits.set(name.name, split);
    sizes.push({ split, value: size, fraction, written: value });
    if (fraction) {
      fractions++;
      fractionTotal += size;
    } else {
      counts++;
      countTotal += size;
    }
  }
  // Only when no `train:` was written at all: an invalid one is already reported.
  const namesWritten = setting.args.flatMap((a) => (a.name ? [a.name.name] : []));
  if (!namesWritten.includes("train") && !namesWritten.some((n) => nearest(n, ["train"]) === "train")) {
    ctx.sink.report("REG2003", setting.keyword.span, { callee: "split", name: "train" });
  }
  if (counts > 0 && fractions > 0) {
    ctx.sink.report("REG2009", setting.span);
    return;
  }
  if (fractionTotal > 1 + 1e-9) {
    ctx.sink.report("REG2007", settingArgsSpan(setting), { total: Number(fractionTotal.toFixed(6)) });
    return;
  }
  if (available !== undefined && countTotal > available) {
    ctx.sink.report("REG2006", settingArgsSpan(setting), { asked: countTotal, source: info.schema?.label ?? "the source", available }, { hint: "splits never overlap: shrink them so they fit" });
    return;
  }
  if (available === undefined) return;
  const rows = splitRows(sizes.map(({ split, value, fraction }) => ({ name: split.name, value, fraction })), available);
  for (const { split, written } of sizes) {
    split.rows = rows.get(split.name);
    // No usable row at all is reported where the rows went (`missing`), not once per split.
    if (split.rows !== 0 || available === 0) continue;
    const value = `${sourceText(ctx, written)} (0 of ${available} rows)`;
    ctx.sink.report("REG2001", written.span, { what: `split \`${split.name}\``, range: "a fraction that leaves it at least one row", value }, { hint: "make the fraction larger, or write a row count" });
  }
}

function settingArgsSpan(setting: A.Setting): Span {
  const first = setting.args[0];
  const last = setting.args[setting.args.length - 1];
  return first && last ? span(first.span.start, last.span.end) : setting.span;
}
