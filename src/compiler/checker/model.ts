import * as A from "../syntax/ast.js";
import * as catalog from "../catalog/index.js";
import type { LayerSpec, Shape } from "../catalog/types.js";
import { bindArgs } from "./args.js";
import { mayHoldUnread, removeStatementFix, type CheckContext } from "./context.js";
import { shapeSize, shapeText, type LayerInfo, type ModelInfo } from "./program.js";
import { didYouMean } from "./suggest.js";
import { reportUnknownBlockName, validName } from "./names.js";
import { checkEmbeddingIds } from "./embedding-ids.js";

/** Checks a `model` block: layer kinds and arguments, the `from` graph, and shapes. */
export function checkModel(ctx: CheckContext, block: A.ModelBlock): ModelInfo {
  const name = block.name?.name ?? "";
  const nameSpan = block.name?.span ?? block.keyword;
  const symbol = ctx.program.symbols.declare("model", name, nameSpan);
  const model: ModelInfo = { name, symbol, block, span: block.span, nameSpan, keyword: block.keyword, layers: [], byName: new Map(), paramCount: 0 };
  resolveInput(ctx, model);
  collectLayers(ctx, model);
  linkSources(ctx, model);
  inferShapes(ctx, model);
  checkEmbeddingIds(ctx, model);
  for (const layer of model.layers) layer.paramNames = paramNamesOf(layer);
  model.output = model.layers[model.layers.length - 1];
  model.paramCount = model.layers.reduce((sum, l) => sum + l.paramCount, 0);
  return model;
}

function resolveInput(ctx: CheckContext, model: ModelInfo): void {
  const input = model.block.input;
  if (!input) return;
  if (input.kind !== "Ref" || input.segments.length !== 2 || input.segments[1]!.name !== "input") {
    ctx.sink.report("REG1016", input.span, { detail: "a model's input is written `DATA.input` (e.g. `model net(digits.input)`)" });
    return;
  }
  const dataName = input.segments[0]!;
  const data = ctx.program.data.get(dataName.name);
  if (!data) {
    reportUnknownBlockName(ctx, "data", dataName.name, dataName.span, ctx.program.data.keys());
    return;
  }
  ctx.program.symbols.refer(dataName.span, data.symbol);
  model.data = data;
  model.inputShape = data.inputShape;
}

function collectLayers(ctx: CheckContext, model: ModelInfo): void {
  for (const statement of model.block.body) {
    if (statement.kind === "Setting") {
      const name = statement.keyword.name;
      const home = catalog.setting("train", name) ? "train" : catalog.setting("data", name) ? "data" : undefined;
      ctx.sink.report("REG1014", statement.span, {
        detail: `a \`model\` block holds layer calls like \`h1 = dense(64)\`, not settings like \`${name} …\``,
      }, home ? { hint: `\`${name}\` belongs in the \`${home}\` block` } : {});
      continue;
    }
    const callee = statement.call.callee;
    const spec = catalog.layer(callee.name);
    if (!spec) {
      const hint = catalog.technique(callee.name)
        ? { hint: `\`${callee.name}\` is a regularization technique: write it in a \`regularize ${model.name || "MODEL"}\` block` }
        : didYouMean(callee.name, callee.span, catalog.LAYERS.map((l) => l.name));
      ctx.sink.report("REG1002", callee.span, { name: callee.name }, hint);
    }
    const bound = spec ? bindArgs(spec.name, callee.span, statement.call.args, spec.args, ctx) : { values: {} };
    if (!spec) model.unresolved = true;
    const layer: LayerInfo = {
      kind: callee.name,
      statement,
      span: statement.span,
      nameSpan: statement.name?.span ?? callee.span,
      args: bound.values,
      source: "input",
      params: {},
      paramNames: [],
      paramCount: 0,
    };
    if (spec) layer.spec = spec;
    if (statement.name && validName(ctx, statement.name)) {
      const name = statement.name;
      const earlier = model.byName.get(name.name);
      if (earlier) {
        ctx.sink.report("REG5001", name.span, { name: name.name }, { related: [{ span: earlier.statement.name!.span, message: "first declared here" }] });
      } else {
        layer.name = name.name;
        layer.symbol = ctx.program.symbols.declare("layer", name.name, name.span, model.symbol);
        model.byName.set(name.name, layer);
      }
    }
    model.layers.push(layer);
  }
}

/** Each layer reads the previous layer's output, or the layer its `from` clause names. */
function linkSources(ctx: CheckContext, model: ModelInfo): void {
  model.layers.forEach((layer, index) => {
    layer.source = index === 0 ? "input" : model.layers[index - 1]!;
    for (const clause of layer.statement.clauses) {
      const allowed = layer.spec?.clauses[clause.keyword];
      if (!allowed) {
        if (layer.spec) ctx.sink.report("REG4009", clause.keywordSpan, { name: layer.kind, clause: clause.keyword });
        continue;
      }
      const target = singleLayerRef(ctx, model, clause);
      if (target) layer.source = target;
      // A `from` that names no layer (already reported) leaves the input unknown, not the previous layer's.
      else if (clause.keyword === "from") layer.sourceUnknown = true;
    }
  });
  reportCycles(ctx, model);
}

/** Each layer has one source, so following sources either reaches the input or loops. Linear: every layer is walked once. */
function reportCycles(ctx: CheckContext, model: ModelInfo): void {
  const walked = new Map<LayerInfo, "on path" | "settled">();
  for (const start of model.layers) {
    let current: LayerInfo | "input" = start;
    while (current !== "input" && !walked.has(current)) {
      walked.set(current, "on path");
      current = current.source;
    }
    if (current !== "input" && walked.get(current) === "on path") {
      const cycle = [current];
      for (let layer = current.source; layer !== current && layer !== "input"; layer = layer.source) cycle.push(layer);
      const names = [...cycle, current].map((l) => l.name ?? l.kind).join(" → ");
      const fromClause = current.statement.clauses.find((c) => c.keyword === "from");
      ctx.sink.report("REG5002", fromClause?.span ?? current.statement.span, { cycle: names });
    }
    for (let layer: LayerInfo | "input" = start; layer !== "input" && walked.get(layer) === "on path"; layer = layer.source) walked.set(layer, "settled");
  }
}

/** How a message names the model: by its name, or, where a syntax error lost the name, as the one the statement is in. */
function modelWords(model: ModelInfo): string {
  return model.name ? `\`${model.name}\`` : "this model";
}

/** Resolves a clause naming exactly one layer of this model (`from t2`, `after h1`). */
export function singleLayerRef(ctx: CheckContext, model: ModelInfo, clause: A.Clause): LayerInfo | undefined {
  const [target, ...extra] = clause.targets;
  for (const e of extra) ctx.sink.report("REG1016", e.span, { detail: `\`${clause.keyword}\` takes one layer` });
  if (!target) return undefined;
  if (target.kind !== "Ref" || target.segments.length !== 1 || A.isGlob(target)) {
    ctx.sink.report("REG1016", target.span, { detail: `\`${clause.keyword}\` takes the name of one layer of ${modelWords(model)}` });
    return undefined;
  }
  const name = target.segments[0]!;
  const layer = model.byName.get(name.name);
  if (!layer) {
    ctx.sink.report("REG1005", name.span, { what: "layer", where: ` in ${modelWords(model)}`, name: name.name }, didYouMean(name.name, name.span, model.byName.keys()));
  }
  if (layer?.symbol) ctx.program.symbols.refer(name.span, layer.symbol);
  return layer;
}

function inferShapes(ctx: CheckContext, model: ModelInfo): void {
  const done = new Set<LayerInfo>();
  const visit = (layer: LayerInfo): Shape | undefined => {
    if (done.has(layer)) return layer.outputShape;
    done.add(layer);
    const input = layer.sourceUnknown ? undefined : layer.source === "input" ? model.inputShape : visit(layer.source);
    // A missing or invalid argument is already reported; its shape is unknown.
    if (!layer.spec || layer.spec.args.some((a) => a.required && layer.args[a.name] === undefined)) return undefined;
    if (!input) {
      layer.outputShape = shapeWithoutInput(layer.spec, layer.args);
      return layer.outputShape;
    }
    layer.inputShape = input;
    const result = layer.spec.outputShape(input, layer.args);
    if ("error" in result) {
      ctx.sink.report(result.code, layer.statement.call.span, result.params);
      return undefined;
    }
    if (!result.every((d) => Number.isInteger(d) && d > 0)) return undefined;
    layer.outputShape = result;
    layer.params = layer.spec.params(input, layer.args);
    layer.paramCount = Object.values(layer.params).reduce((sum, s) => sum + shapeSize(s), 0);
    return result;
  };
  model.layers.forEach(visit);
}

/**
 * Which parameters a layer has depends on its kind and arguments, not on its
 * input's size: where shapes are unknown, a stand-in input tells them.
 */
function paramNamesOf(layer: LayerInfo): string[] {
  const spec = layer.spec;
  if (!spec) return [];
  const params = layer.inputShape && layer.outputShape ? layer.params : spec.params(spec.accepts === "image" ? [1, 1, 1] : [1], layer.args);
  return Object.keys(params);
}

/** Inputs of each rank a layer may take, to find whether its output shape depends on its input at all. */
const PROBE_INPUTS: Record<LayerSpec["accepts"], Shape[]> = {
  vector: [[3], [5]],
  image: [[8, 8, 1], [9, 11, 3]],
  any: [[3], [5], [8, 8, 1], [9, 11, 3]],
};

/**
 * The output shape of a layer whose input is unknown (an error before it,
 * already reported), when that shape does not depend on the input
 * (`dense(10)` gives 10 values from any vector): so the layers after it,
 * and the tasks scoring them, are still checked. Its parameters stay unknown.
 */
function shapeWithoutInput(spec: LayerSpec, args: LayerInfo["args"]): Shape | undefined {
  const outputs = PROBE_INPUTS[spec.accepts].map((probe) => spec.outputShape(probe, args));
  const [first] = outputs;
  if (!first || "error" in first || !first.every((d) => Number.isInteger(d) && d > 0)) return undefined;
  return outputs.every((o) => !("error" in o) && shapeText(o) === shapeText(first)) ? first : undefined;
}

/** Every layer's input and output shapes are known, so parameter counts and sizes are whole. */
export function shapesKnown(model: ModelInfo): boolean {
  return model.layers.every((layer) => layer.inputShape && layer.outputShape);
}

/** Warns about layers whose output feeds nothing: no later layer, no task. */
export function reportUnusedLayers(ctx: CheckContext, model: ModelInfo, usedByTasks: ReadonlySet<LayerInfo>): void {
  if (usedByTasks.size === 0 || mayHoldUnread(ctx, "task")) return;
  const consumed = new Set<LayerInfo>(usedByTasks);
  for (const layer of model.layers) if (layer.source !== "input") consumed.add(layer.source);
  for (const layer of model.layers) {
    if (consumed.has(layer)) continue;
    const name = layer.name ?? layer.kind;
    ctx.sink.report("REG5003", layer.nameSpan, { name }, {
      fix: removeStatementFix(ctx.text, layer, `Remove layer \`${name}\``),
    });
  }
}
