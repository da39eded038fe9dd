import * as catalog from "../catalog/index.js";
import { indentAt, lineSpan, mayHoldUnread, type CheckContext } from "./context.js";
import type { ModelInfo, Program, RegularizeInfo } from "./program.js";
import type { Fix } from "../diagnostics/diagnostic.js";
import { kindUnknown } from "./tasks.js";
import { shapesKnown } from "./model.js";
import { groupedDigits } from "../../shared/grouped-digits.js";

/**
 * Book §7.3: parameters against training rows. Warns when a model could fit
 * its training data in many ways and nothing regularizes it; checks that a
 * closed-form solve has a linear model and a ridge term to make XᵀX + αI
 * invertible.
 */
export function checkCapacity(ctx: CheckContext, program: Program): void {
  for (const model of program.models.values()) {
    const uses = usesOf(program, model);
    const rows = model.data?.splits.get("train")?.rows;
    const unknown = model.unresolved || hasUnresolvedClause(program, model);
    const regularized = uses.some((u) => u.technique.regularizes) || model.layers.some((l) => l.spec?.regularizes);
    if (!regularized && !unknown && !mayHoldUnread(ctx, "regularize") && rows !== undefined && model.paramCount > rows && shapesKnown(model)) {
      ctx.sink.report("REG4007", model.nameSpan, { params: groupedDigits(model.paramCount), rows: `${groupedDigits(rows)} training ${rows === 1 ? "row" : "rows"}`, model: model.name }, {
        hint: `add a \`regularize ${model.name} { … }\` block, e.g. \`l2(1e-4)\`, dropout or early stopping`,
      });
    }
  }
  if (program.train?.solver === "closed_form") checkClosedForm(ctx, program);
}

/** Whether a regularize block of `model` holds a clause that did not resolve: what it does is unknown. */
function hasUnresolvedClause(program: Program, model: ModelInfo): boolean {
  return program.regularize.some((r) => r.model === model && r.unresolved);
}

function usesOf(program: Program, model: ModelInfo) {
  return program.regularize.filter((r) => r.model === model).flatMap((r) => r.uses);
}

function checkClosedForm(ctx: CheckContext, program: Program): void {
  const train = program.train!;
  const at = train.settingSpans.get("solver") ?? train.keyword;
  const models = new Set([...program.tasks.values()].flatMap((t) => (t.model ? [t.model] : [])));
  for (const task of program.tasks.values()) {
    if (kindUnknown(task)) continue;
    if (task.kind !== "regress" || (task.args["loss"] !== undefined && task.args["loss"] !== "mse")) {
      ctx.sink.report("REG4005", at, { model: task.model?.name ?? "?", reason: `is scored by \`${task.name}\`, which is not a squared-error regression` });
      return;
    }
  }
  for (const model of models) {
    // Shapes unknown (a data or layer error is already reported): nothing to judge.
    if (!shapesKnown(model)) continue;
    const reason = nonLinearReason(model);
    if (reason) {
      ctx.sink.report("REG4005", at, { model: model.name, reason }, { related: [{ span: model.keyword, message: `model \`${model.name}\`` }] });
      continue;
    }
    const uses = usesOf(program, model);
    // The solve is one step: a clause that acts on training steps, predictions or data never runs.
    for (const use of uses.filter((u) => !u.technique.hooks.includes("solver"))) {
      ctx.sink.report("REG5007", use.techniqueSpan, { detail: `\`${use.technique.name}\` has no effect under \`solver closed_form\`, which solves for the weights in one step with \`l2\` alone` }, {
        fix: { title: `Remove \`${use.technique.name}\``, edits: [{ span: lineSpan(ctx.text, use.span), newText: "" }] },
      });
    }
    const ridge = uses.some((u) => u.technique.hooks.includes("solver"));
    // A clause that did not resolve (an unknown technique, REG1001) may be the ridge term, misspelt.
    if (ridge || hasUnresolvedClause(program, model) || mayHoldUnread(ctx, "regularize")) continue;
    const rows = model.data?.splits.get("train")?.rows;
    ctx.sink.report("REG4006", at, { why: withoutRidge(model, rows) }, { fix: addRidgeFix(ctx, program, model), hint: "add `l2(α)` on the output kernel" });
  }
}

/**
 * Why the solve needs `l2`: XᵀX (with a column for the bias) has no inverse
 * when each output has more weights to solve for than there are training
 * rows; with fewer, the solve is still ridge's and takes its α from `l2`.
 */
function withoutRidge(model: ModelInfo, rows: number | undefined): string {
  const output = model.layers.find((l) => "kernel" in l.params);
  const weights = output ? output.params["kernel"]![0]! + ("bias" in output.params ? 1 : 0) : undefined;
  if (rows !== undefined && weights !== undefined && weights <= rows) return "the closed form it solves is ridge regression's, (XᵀX + αI)⁻¹Xᵀy, with α from `l2(α)`";
  return `XᵀX is singular (${model.paramCount} parameters, ${rows ?? "?"} training rows)`;
}

function nonLinearReason(model: ModelInfo): string | undefined {
  const weighted = model.layers.filter((l) => !l.spec?.linear);
  if (weighted.length !== 1) return `has ${weighted.length} layers that are not shape-only`;
  const [only] = weighted as [typeof weighted[0]];
  const activation = only.args["activation"];
  if (Object.keys(only.params).length === 0 || !("kernel" in only.params)) return `uses \`${only.kind}\``;
  if (activation !== undefined && activation !== "none" && activation !== "linear") return `applies the activation \`${String(activation)}\``;
  return undefined;
}

/** Inserts a ridge term on the output kernel, into the model's regularize block or a new one. */
function addRidgeFix(ctx: CheckContext, program: Program, model: ModelInfo): Fix | undefined {
  const ridge = catalog.TECHNIQUES.find((t) => t.hooks.includes("solver"));
  const output = model.layers.find((l) => "kernel" in l.params);
  if (!ridge || !output?.name) return undefined;
  const clause = `${ridge.name}(0.1) on ${output.name}.kernel`;
  const block: RegularizeInfo | undefined = program.regularize.find((r) => r.model === model);
  if (block) {
    const closing = block.span.end - 1;
    const lineStart = ctx.text.lastIndexOf("\n", closing - 1) + 1;
    const indent = indentAt(ctx.text, block.span.start) + "  ";
    return { title: `Add \`${clause}\``, edits: [{ span: { start: lineStart, end: lineStart }, newText: `${indent}${clause}\n` }] };
  }
  const end = ctx.text.length;
  const separator = ctx.text.endsWith("\n") ? "\n" : "\n\n";
  return { title: `Add \`regularize ${model.name} { ${clause} }\``, edits: [{ span: { start: end, end }, newText: `${separator}regularize ${model.name} {\n  ${clause}\n}\n` }] };
}
