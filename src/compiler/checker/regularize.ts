import * as A from "../syntax/ast.js";
import * as catalog from "../catalog/index.js";
import type { ArgSpec, ClauseTarget, ResolvedArgs, Shape, TechniqueSpec } from "../catalog/types.js";
import { isSpace } from "../tuning/space-kinds.js";
import { bindArgs, numberInUnits, type Bound } from "./args.js";
import { operandParam } from "../binder/bound-call.js";
import { lineSpan, mayHoldUnread, type CheckContext } from "./context.js";
import { globMatch, globMatcher } from "./glob.js";
import { singleLayerRef } from "./model.js";
import { shapeText, type AlongTransform, type ClauseUse, type DataInfo, type LayerInfo, type ModelInfo, type RegularizeInfo, type SplitInfo } from "./program.js";
import { metricNames, splitOfMetric, taskInMetric } from "./metrics.js";
import { didYouMean } from "./suggest.js";
import { reportUnknownBlockName } from "./names.js";
import { kindUnknown } from "./tasks.js";
import { plural } from "../../shared/plural.js";

/**
 * Checks a `regularize MODEL` block: each clause names a catalog technique,
 * its arguments fit, its clauses point at things that exist, and it applies
 * to this model's data and tasks.
 */
export function checkRegularize(ctx: CheckContext, block: A.RegularizeBlock): RegularizeInfo {
  const info: RegularizeInfo = { block, span: block.span, uses: [] };
  const target = block.target;
  if (target) {
    const model = ctx.program.models.get(target.name);
    if (model) ctx.program.symbols.refer(target.span, model.symbol);
    if (model) info.model = model;
    else reportUnknownBlockName(ctx, "model", target.name, target.span, ctx.program.models.keys());
  }
  for (const statement of block.body) {
    if (statement.kind === "Setting") {
      ctx.sink.report("REG1014", statement.span, { detail: `a \`regularize\` block holds technique calls like \`l2(1e-4) on *.kernel\`, not settings` });
      continue;
    }
    const use = checkClause(ctx, info.model, statement);
    if (use) info.uses.push(use);
    else info.unresolved = true;
  }
  return info;
}

function checkClause(ctx: CheckContext, model: ModelInfo | undefined, statement: A.CallStatement): ClauseUse | undefined {
  const callee = statement.call.callee;
  const technique = catalog.technique(callee.name);
  if (!technique) {
    const hint = catalog.layer(callee.name)
      ? { hint: `\`${callee.name}\` is a layer: write it in the \`model\` block` }
      : didYouMean(callee.name, callee.span, catalog.TECHNIQUES.map((t) => t.name));
    ctx.sink.report("REG1001", callee.span, { name: callee.name }, hint);
    return undefined;
  }
  if (statement.name) {
    ctx.sink.report("REG1014", statement.name.span, { detail: "techniques are not named: remove `NAME =`" });
  }
  const paramShapes = new Map<A.Expr, Shape>();
  const bound = bindArgs(technique.name, callee.span, statement.call.args, technique.args, {
    sink: ctx.sink,
    special: (spec, expr) => checkSpecialArg(ctx, model, spec, expr, paramShapes),
  });
  checkSharedShapes(ctx, bound.exprs, paramShapes);
  if (technique.hooks.includes("share_params")) checkSelfTie(ctx, technique, bound);
  checkTrainingRowBounds(ctx, model, technique, bound.values, bound.exprs);
  checkPixelBounds(ctx, model, technique, bound.exprs);

  const use: ClauseUse = { statement, span: statement.span, technique, techniqueSpan: statement.call.callee.span, call: bound, args: bound.values, on: [], along: [] };
  const missing = (technique.requiredClauses ?? []).filter((required) => !statement.clauses.some((c) => c.keyword === required));
  // A clause the technique does not take, where it lacks the one clause it needs, is that clause misnamed (`dropout(0.5) on h`): one error, with the fix.
  const misnamed = missing.length === 1 ? missing[0] : undefined;
  let renamed = false;
  for (const clause of statement.clauses) {
    const kind = technique.clauses[clause.keyword];
    if (!kind) {
      const rename = misnamed && { hint: `did you mean \`${misnamed}\`?`, fix: { title: `Replace \`${clause.keyword}\` with \`${misnamed}\``, edits: [{ span: clause.keywordSpan, newText: misnamed }] } };
      ctx.sink.report("REG4009", clause.keywordSpan, { name: technique.name, clause: clause.keyword }, rename || {});
      renamed ||= rename !== undefined;
      continue;
    }
    resolveClause(ctx, model, technique, clause, kind, use);
  }
  // The misnamed clause stands for the one missing.
  for (const required of renamed ? [] : missing) {
    if (required === "using" && technique.requires?.unlabeledSplit) ctx.sink.report("REG4003", callee.span, { name: technique.name });
    else ctx.sink.report("REG4008", callee.span, { name: technique.name, clause: required });
  }
  if (!statement.clauses.some((c) => c.keyword === "on") && model) {
    if (technique.defaultOn === "kernels") use.on = paramsMatching(model, "*", "kernel");
    if (technique.defaultOn === "input") use.on = ["input"];
  }
  checkApplicability(ctx, model, technique, callee);
  if (model) checkDefaultMetrics(ctx, model, technique, bound.exprs, callee);
  if (model) checkAxes(ctx, model, technique, bound, use.on);
  if (technique.requires?.sigmoidLayers && model) checkSigmoidLayers(ctx, model, technique, statement);
  reportNoEffect(ctx, technique, bound.values, bound.exprs);
  return use;
}

/** A metric left to its default (`early_stop`'s `val_loss`) needs its split as much as one written out. */
function checkDefaultMetrics(ctx: CheckContext, model: ModelInfo, technique: TechniqueSpec, exprs: Record<string, A.Expr>, callee: A.Identifier): void {
  const data = model.data;
  if (!data) return;
  for (const spec of technique.args) {
    if (spec.type.kind !== "metric" || exprs[spec.name] || typeof spec.default !== "string") continue;
    const split = splitOfMetric(spec.default);
    if (!split || data.splits.has(split) || data.misspelt?.has("split")) continue;
    ctx.sink.report("REG4004", callee.span, { metric: spec.default, split, data: data.name }, {
      hint: `\`${technique.name}\` watches \`${spec.default}\` unless told otherwise: add \`${split}: …\` to the \`split\` setting of \`${data.name}\`, or give \`${spec.name}:\` a metric this run reports`,
    });
  }
}

/** An `axis` (maxnorm, unitnorm) must name axes every parameter it acts on has. */
function checkAxes(ctx: CheckContext, model: ModelInfo, technique: TechniqueSpec, bound: Bound, on: readonly string[]): void {
  const expr = bound.exprs["axis"];
  const value = bound.values["axis"];
  if (!expr || value === undefined) return;
  const axes = (Array.isArray(value) ? value : [value]).filter((axis): axis is number => typeof axis === "number");
  for (const name of on) {
    const [layerName, param] = name.split(".") as [string, string];
    const shape = model.byName.get(layerName)?.params[param];
    if (!shape) continue;
    const beyond = axes.find((axis) => axis >= shape.length);
    if (beyond === undefined) continue;
    ctx.sink.report("REG2001", expr.span, { what: `\`axis\` of \`${technique.name}\` on \`${name}\``, range: `an axis below its rank, ${shape.length} (shape ${shapeText(shape)})`, value: String(beyond) });
    return;
  }
}

/** Techniques that read activations as firing rates (`kl_sparsity`) need sigmoid layers; others give clipped, gradient-less rates. */
function checkSigmoidLayers(ctx: CheckContext, model: ModelInfo, technique: TechniqueSpec, statement: A.CallStatement): void {
  for (const target of statement.clauses.filter((c) => c.keyword === "on").flatMap((c) => c.targets)) {
    if (target.kind !== "Ref" || target.segments.length !== 1) continue;
    const layer = model.byName.get(target.segments[0]!.name);
    const activation = layer?.args["activation"];
    // A layer of an unknown kind (REG1002) has no activation anyone can judge.
    if (!layer?.spec || activation === "sigmoid") continue;
    ctx.sink.report("REG4013", target.span, { name: technique.name, layer: target.segments[0]!.name, activation: typeof activation === "string" ? `activation \`${activation}\`` : `no activation (\`${layer.kind}\`)` }, {
      hint: `give \`${target.segments[0]!.name}\` \`activation: sigmoid\`, or penalize its outputs with \`activity_l1\``,
    });
  }
}

/** A technique whose strength (its first numeric argument, or its `weight`) is zero does nothing. */
function reportNoEffect(ctx: CheckContext, technique: TechniqueSpec, values: Record<string, unknown>, exprs: Record<string, A.Expr>): void {
  const strength = technique.args.find((a) => a.type.kind === "number" && a.positional) ?? technique.args.find((a) => a.name === "weight");
  if (!strength || values[strength.name] !== 0) return;
  const expr = exprs[strength.name];
  // 0 among a search space's points (`l1(choice(0, 1e-3))`) is the clause switched off on purpose: trials compare it.
  if (!expr || isSpace(expr)) return;
  ctx.sink.report("REG5007", expr.span, { detail: `\`${technique.name}\` with \`${strength.name}\` 0 has no effect` }, {
    fix: { title: `Remove \`${technique.name}\``, edits: [{ span: lineSpan(ctx.text, expr.span), newText: "" }] },
  });
}

function checkApplicability(ctx: CheckContext, model: ModelInfo | undefined, technique: TechniqueSpec, callee: A.Identifier): void {
  const data = model?.data;
  if (technique.requires?.imageInput && data?.kind === "table") {
    ctx.sink.report("REG4001", callee.span, { name: technique.name, data: data.name });
  }
  if (technique.requires?.classifyTask) {
    const ownTasks = [...ctx.program.tasks.values()].filter((t) => !model || t.model === model);
    if (!ownTasks.some((t) => t.kind === "classify" || kindUnknown(t)) && !mayHoldUnread(ctx, "task")) ctx.sink.report("REG4002", callee.span, { name: technique.name });
  }
  if (technique.requires?.severalTasks && model) {
    const tasks = [...ctx.program.tasks.values()].filter((t) => t.model === model).length;
    if (tasks < 2 && !mayHoldUnread(ctx, "task")) ctx.sink.report("REG4012", callee.span, { name: technique.name, model: model.name, tasks: plural(tasks, "task") });
  }
}

/** A display name for a layer in parameter paths; unnamed layers get `kind_index`. */
export function layerId(model: ModelInfo, layer: LayerInfo): string {
  return layer.name ?? unnamedLayerId(layer, model.layers.indexOf(layer));
}

function unnamedLayerId(layer: LayerInfo, index: number): string {
  return `${layer.kind}_${index + 1}`;
}

function paramsMatching(model: ModelInfo, layerPattern: string, paramPattern: string): string[] {
  const found: string[] = [];
  const matchesParam = globMatcher(paramPattern);
  const addParams = (layer: LayerInfo, id: string) => {
    for (const param of layer.paramNames) if (matchesParam(param)) found.push(`${id}.${param}`);
  };
  if (!layerPattern.includes("*")) {
    const named = model.byName.get(layerPattern);
    if (named) addParams(named, layerPattern);
    return found;
  }
  const matchesLayer = globMatcher(layerPattern);
  model.layers.forEach((layer, index) => {
    // An unnamed layer matches only `*`.
    if (layer.name ? matchesLayer(layer.name) : layerPattern === "*") addParams(layer, layer.name ?? unnamedLayerId(layer, index));
  });
  return found;
}

/** Resolves a clause's targets into the clause's use: `on` targets, the `after` layer, the `using` split, the `along` transforms. */
function resolveClause(ctx: CheckContext, model: ModelInfo | undefined, technique: TechniqueSpec, clause: A.Clause, kind: ClauseTarget, use: ClauseUse): void {
  if (kind === "layer") {
    const layer = model && singleLayerRef(ctx, model, clause);
    if (model && layer) record(clause, use, [layerId(model, layer)]);
    return;
  }
  // Each name an `on` target resolved to, with the target that first named it.
  const named = new Map<string, A.Expr>();
  clause.targets.forEach((target, i) => {
    switch (kind) {
      case "params":
      case "layers":
      case "input_or_layers": {
        const resolved = kind === "params" ? resolveParams(ctx, model, target) : resolveLayers(ctx, model, target, kind === "input_or_layers");
        reportRepeatedTarget(ctx, clause, i, resolved, named);
        for (const name of resolved) if (!named.has(name)) named.set(name, target);
        record(clause, use, resolved);
        break;
      }
      case "split": {
        const split = resolveSplit(ctx, model?.data, technique, target);
        if (split) use.using = split;
        break;
      }
      case "transforms": {
        const transform = resolveTransform(ctx, model, target);
        if (transform) use.along.push(transform);
        break;
      }
    }
  });
}

/** A target whose every name an earlier target of the clause already named (`on h1.kernel, h1.kernel`, `on *.kernel, h1.kernel`): a warning, with the fix that removes it. */
function reportRepeatedTarget(ctx: CheckContext, clause: A.Clause, index: number, resolved: readonly string[], named: ReadonlyMap<string, A.Expr>): void {
  const target = clause.targets[index]!;
  const earlier = resolved.map((name) => named.get(name));
  if (resolved.length === 0 || earlier.some((t) => t === undefined)) return;
  const text = textOf(ctx, target);
  const covering = [...new Set(earlier.map((t) => textOf(ctx, t!)))];
  const reason = covering.length === 1 && covering[0] === text ? "it is already one of its targets" : `${covering.map((c) => `\`${c}\``).join(" and ")} before it already ${covering.length === 1 ? "names" : "name"} ${resolved.length === 1 ? "it" : "them"}`;
  // Removed with the comma before it: a target never comes first here, as nothing before it could name its names.
  const removal = { start: clause.targets[index - 1]!.span.end, end: target.span.end };
  ctx.sink.report("REG1018", target.span, { target: text, reason }, { fix: { title: `Remove \`${text}\``, edits: [{ span: removal, newText: "" }] } });
}

/** Layers and parameters a clause resolved to: `on` targets, or the layer a structural clause comes `after`. */
function record(clause: A.Clause, use: ClauseUse, resolved: readonly string[]): void {
  if (clause.keyword === "on") use.on.push(...resolved);
  if (clause.keyword === "after" && resolved[0] !== undefined) use.after = resolved[0];
}

function resolveParams(ctx: CheckContext, model: ModelInfo | undefined, target: A.Expr): string[] {
  if (target.kind !== "Ref") {
    ctx.sink.report("REG1016", target.span, { detail: "`on` takes parameters like `h1.kernel` or `*.kernel`" });
    return [];
  }
  if (!model) return [];
  const [layerSeg, paramSeg] = target.segments;
  if (!layerSeg) return [];
  if (!paramSeg || target.segments.length > 2) {
    const layer = model.byName.get(layerSeg.name);
    const suggestion = layer?.paramNames[0] ? `${layerSeg.name}.${layer.paramNames[0]}` : undefined;
    ctx.sink.report("REG1016", target.span, { detail: "`on` takes parameters here, written `LAYER.PARAM` (`h1.kernel`, `*.bias`)" }, suggestion ? {
      hint: `did you mean \`${suggestion}\`?`,
      fix: { title: `Use \`${suggestion}\``, edits: [{ span: target.span, newText: suggestion }] },
    } : {});
    return [];
  }
  if (!layerSeg.name.includes("*")) {
    const layer = model.byName.get(layerSeg.name);
    if (!layer) {
      ctx.sink.report("REG1005", layerSeg.span, { what: "layer", where: ` in \`${model.name}\``, name: layerSeg.name }, didYouMean(layerSeg.name, layerSeg.span, model.byName.keys()));
      return [];
    }
    if (layer.symbol) ctx.program.symbols.refer(layerSeg.span, layer.symbol);
    if (layer.symbol && !paramSeg.name.includes("*") && layer.paramNames.includes(paramSeg.name)) {
      ctx.program.symbols.refer(paramSeg.span, ctx.program.symbols.implied("param", paramSeg.name, layer.symbol));
    }
    if (!paramSeg.name.includes("*") && !layer.paramNames.includes(paramSeg.name) && layer.spec) {
      const has = layer.paramNames;
      ctx.sink.report("REG1006", paramSeg.span, { layer: layerSeg.name, kind: layer.kind, param: paramSeg.name },
        has.length ? didYouMean(paramSeg.name, paramSeg.span, has) : { hint: `\`${layer.kind}\` layers have no trainable parameters` });
      return [];
    }
  }
  const found = paramsMatching(model, layerSeg.name, paramSeg.name);
  if (A.isGlob(target)) ctx.program.symbols.referGlob({ span: target.span, pattern: A.refText(target), kind: "param", model: model.symbol, matches: found });
  if (found.length === 0 && A.isGlob(target) && model.layers.every((l) => l.spec)) {
    const paramNames = [...new Set(model.layers.flatMap((l) => l.paramNames))];
    const hint = paramSeg.name.includes("*") ? {} : didYouMean(paramSeg.name, paramSeg.span, paramNames, false);
    ctx.sink.report("REG1007", target.span, { pattern: A.refText(target), what: `parameter of \`${model.name}\`` }, hint);
  }
  return found;
}

function resolveLayers(ctx: CheckContext, model: ModelInfo | undefined, target: A.Expr, allowInput: boolean): string[] {
  if (target.kind !== "Ref" || target.segments.length !== 1) {
    ctx.sink.report("REG1016", target.span, { detail: `\`on\` takes layer names here${allowInput ? " or `input`" : ""} (the technique acts on a layer's output)` });
    return [];
  }
  const name = target.segments[0]!;
  if (allowInput && name.name === "input") return ["input"];
  if (!model) return [];
  if (name.name.includes("*")) {
    const found = model.layers.filter((l) => l.name && globMatch(name.name, l.name)).map((l) => l.name!);
    ctx.program.symbols.referGlob({ span: target.span, pattern: name.name, kind: "layer", model: model.symbol, matches: found });
    if (found.length === 0) ctx.sink.report("REG1007", target.span, { pattern: name.name, what: `layer of \`${model.name}\`` });
    return found;
  }
  const layer = model.byName.get(name.name);
  if (!layer) {
    ctx.sink.report("REG1005", name.span, { what: "layer", where: ` in \`${model.name}\``, name: name.name }, didYouMean(name.name, name.span, [...model.byName.keys(), ...(allowInput ? ["input"] : [])]));
    return [];
  }
  if (layer.symbol) ctx.program.symbols.refer(name.span, layer.symbol);
  return [name.name];
}

function resolveSplit(ctx: CheckContext, data: DataInfo | undefined, technique: TechniqueSpec, target: A.Expr): SplitInfo | undefined {
  if (target.kind !== "Ref" || target.segments.length !== 2 || A.isGlob(target)) {
    ctx.sink.report("REG1016", target.span, { detail: "`using` takes a data split, written `DATA.SPLIT` (e.g. `digits.unlabeled`)" });
    return;
  }
  const [dataSeg, splitSeg] = target.segments as [A.Identifier, A.Identifier];
  const named = ctx.program.data.get(dataSeg.name);
  if (!named) {
    reportUnknownBlockName(ctx, "data", dataSeg.name, dataSeg.span, ctx.program.data.keys());
    return;
  }
  ctx.program.symbols.refer(dataSeg.span, named.symbol);
  if (data && named !== data) {
    ctx.sink.report("REG1016", dataSeg.span, { detail: `the model reads \`${data.name}\`, so its splits come from \`${data.name}\`` });
    return;
  }
  const wantsUnlabeled = technique.requires?.unlabeledSplit;
  const split = named.splits.get(splitSeg.name);
  if (!split) {
    if (named.misspelt?.has("split")) return;
    if (wantsUnlabeled && splitSeg.name === "unlabeled") {
      ctx.sink.report("REG4003", target.span, { name: technique.name }, { hint: `declare it: \`split …, unlabeled: 5000\` in data \`${named.name}\`` });
    } else {
      ctx.sink.report("REG1008", splitSeg.span, { data: named.name, name: splitSeg.name }, didYouMean(splitSeg.name, splitSeg.span, named.splits.keys()));
    }
    return;
  }
  if (wantsUnlabeled && splitSeg.name !== "unlabeled") {
    ctx.sink.report("REG4003", target.span, { name: technique.name }, named.splits.has("unlabeled") ? {
      fix: { title: `Use \`${named.name}.unlabeled\``, edits: [{ span: splitSeg.span, newText: "unlabeled" }] },
    } : { hint: `declare an unlabeled split: \`split …, unlabeled: 5000\` in data \`${named.name}\`` });
  }
  ctx.program.symbols.refer(splitSeg.span, split.symbol);
  return split;
}

function resolveTransform(ctx: CheckContext, model: ModelInfo | undefined, target: A.Expr): AlongTransform | undefined {
  const head = A.calleeOf(target);
  const transforms = catalog.functionsOf("transform");
  const fn = head && catalog.fn("transform", head.name);
  if (!head || !fn) {
    const name = head?.name ?? "this";
    ctx.sink.report("REG1013", head?.span ?? target.span, { what: "transform", name }, didYouMean(name, head?.span ?? target.span, transforms.map((t) => t.name)));
    return;
  }
  if (fn.imageOnly && model?.data?.kind === "table") {
    ctx.sink.report("REG4001", head.span, { name: fn.name, data: model.data.name }, {
      hint: `\`${fn.name}\` moves pixels, and a row of table columns has no pixel grid to move them on, so its tangent is undefined; tangents learned from the data, \`along manifold(AUTOENCODER)\`, work on any input`,
    });
  }
  const call = bindArgs(fn.name, head.span, target.kind === "Call" ? target.args : [], fn.args, {
    sink: ctx.sink,
    special: (spec, expr) => checkSpecialArg(ctx, model, spec, expr, new Map()),
  });
  const modelArg = fn.args.find((spec) => spec.type.kind === "ref" && spec.type.to === "model");
  const readName = modelArg && call.values[modelArg.name];
  const read = typeof readName === "string" ? ctx.program.models.get(readName) : undefined;
  return { call, written: target.kind === "Call" ? "call" : "word", ...(read && { model: read }) };
}

/** Judges argument values that refer to the rest of the spec: metrics, parameters, layers, models. */
function checkSpecialArg(ctx: CheckContext, model: ModelInfo | undefined, spec: ArgSpec, expr: A.Expr, paramShapes: Map<A.Expr, Shape>): void {
  if (expr.kind !== "Ref") return;
  const type = spec.type;
  if (type.kind === "metric") {
    checkMetric(ctx, model, expr);
  } else if (type.kind === "ref" && type.to === "model") {
    const name = expr.segments[0]!;
    const named = expr.segments.length === 1 ? ctx.program.models.get(name.name) : undefined;
    if (named) ctx.program.symbols.refer(name.span, named.symbol);
    if (!named) {
      reportUnknownBlockName(ctx, "model", A.refText(expr), expr.span, ctx.program.models.keys());
    } else if (name.name === model?.name) {
      ctx.sink.report("REG1016", expr.span, { detail: `\`${name.name}\` is the model being regularized; name another model here (the autoencoder that is trained first)` });
    }
  } else if (type.kind === "ref" && type.to === "param") {
    if (A.isGlob(expr)) {
      ctx.sink.report("REG1016", expr.span, { detail: `\`${A.refText(expr)}\` is a glob; name one parameter here` });
      return;
    }
    const [found] = resolveParams(ctx, model, expr);
    const shape = found && model ? paramShape(model, found) : undefined;
    if (shape) paramShapes.set(expr, shape);
  } else if (type.kind === "ref" && type.to === "layer" && model) {
    resolveLayers(ctx, model, expr, false);
  }
}

function paramShape(model: ModelInfo, path: string): Shape | undefined {
  const [layerName, param] = path.split(".") as [string, string];
  const layer = model.layers.find((l) => layerId(model, l) === layerName);
  return layer?.params[param];
}

/**
 * Parameters passed to one technique (as `tie(A, B)` and `soft_tie(A, B)`
 * take them) must have one shape; `transpose(P)` reverses P's shape.
 */
function checkSharedShapes(ctx: CheckContext, exprs: Record<string, A.Expr>, paramShapes: Map<A.Expr, Shape>): void {
  const shaped: Array<{ expr: A.Expr; shape: Shape }> = [];
  for (const expr of Object.values(exprs)) {
    const shape = shapeOfOperand(expr, paramShapes);
    if (shape) shaped.push({ expr, shape });
  }
  const [first, ...rest] = shaped;
  if (!first) return;
  for (const other of rest) {
    if (shapeText(other.shape) === shapeText(first.shape)) continue;
    ctx.sink.report("REG3003", other.expr.span, {
      a: `\`${textOf(ctx, first.expr)}\``,
      shapeA: shapeText(first.shape),
      b: `\`${textOf(ctx, other.expr)}\``,
      shapeB: shapeText(other.shape),
    }, { related: [{ span: first.expr.span, message: `this is ${shapeText(first.shape)}` }] });
  }
}

/** Shifts in pixels (`translate: 2px`, `crop: 10%`) must stay inside the image: past its side nothing of the image is left. */
function checkPixelBounds(ctx: CheckContext, model: ModelInfo | undefined, technique: TechniqueSpec, exprs: Record<string, A.Expr>): void {
  const shape = model?.data?.kind === "image" ? model.data.inputShape : undefined;
  if (!shape || shape.length < 2) return;
  const side = Math.min(shape[0]!, shape[1]!);
  for (const spec of technique.args) {
    if (!("quantity" in spec.type) || spec.type.quantity !== "pixels") continue;
    const expr = exprs[spec.name];
    const numbers = expr?.kind === "List" ? expr.items : expr ? [expr] : [];
    for (const item of numbers) {
      if (item.kind !== "Number") continue;
      const fraction = item.unit === "%" ? numberInUnits(item) : item.value / side;
      if (Math.abs(fraction) < 1) continue;
      ctx.sink.report("REG2001", item.span, { what: `\`${technique.name}\` argument \`${spec.name}\``, range: `less than the image side (${side}px, or 100%)`, value: item.raw });
    }
  }
}

/** Arguments that count training rows (`tangent_distance(k:)`) cannot ask for more rows than the train split has. */
function checkTrainingRowBounds(ctx: CheckContext, model: ModelInfo | undefined, technique: TechniqueSpec, values: ResolvedArgs, exprs: Record<string, A.Expr>): void {
  const rows = model?.data?.splits.get("train")?.rows;
  if (rows === undefined) return;
  for (const spec of technique.args) {
    const value = values[spec.name];
    const expr = exprs[spec.name];
    if (!spec.atMostTrainingRows || typeof value !== "number" || value <= rows || !expr) continue;
    ctx.sink.report("REG2001", expr.span, { what: `\`${technique.name}\` argument \`${spec.name}\``, range: `at most ${rows}, the rows of the train split`, value: String(value) });
  }
}

/** `tie(h.kernel, h.kernel)` would make a parameter its own source: nothing to share, and no variable left. */
function checkSelfTie(ctx: CheckContext, technique: TechniqueSpec, bound: Bound): void {
  const [first, second] = technique.args.map((spec) => ({ expr: bound.exprs[spec.name], param: operandParam(bound, spec.name) }));
  if (!first?.param || !second?.param || first.param !== second.param || !first.expr || !second.expr) return;
  ctx.sink.report("REG5008", second.expr.span, { technique: technique.name, param: first.param }, { related: [{ span: first.expr.span, message: "the same parameter" }] });
}

function shapeOfOperand(expr: A.Expr, paramShapes: Map<A.Expr, Shape>): Shape | undefined {
  if (expr.kind === "Ref") return paramShapes.get(expr);
  if (expr.kind === "Call" && expr.args.length === 1 && expr.args[0]!.value) {
    const inner = shapeOfOperand(expr.args[0]!.value, paramShapes);
    // The only operand function is `transpose`, which reverses the axes.
    return inner && catalog.fn("tie_operand", expr.callee.name) ? [...inner].reverse() : undefined;
  }
  return undefined;
}

function textOf(ctx: CheckContext, expr: A.Expr): string {
  return ctx.text.slice(expr.span.start, expr.span.end);
}

/** A metric the run reports for `model`; one on the test split is reported with `onTestSplit` (a warning when monitoring, an error when tuning). */
export function checkMetric(ctx: CheckContext, model: ModelInfo | undefined, expr: A.Ref, onTestSplit: "REG4011" | "REG4020" = "REG4011"): void {
  const name = A.refText(expr);
  const data = model?.data;
  if (!data) return;
  const tasks = [...ctx.program.tasks.values()].filter((t) => t.model === model);
  const valid = metricNames(data, tasks);
  if (valid.includes(name)) {
    const { symbols } = ctx.program;
    symbols.refer(expr.span, symbols.implied("metric", name, model.symbol));
    const named = taskInMetric(name, tasks);
    if (named) symbols.refer({ start: expr.span.start + named.start, end: expr.span.start + named.end }, named.task.symbol);
    if (splitOfMetric(name) === "test") ctx.sink.report(onTestSplit, expr.span, { metric: name }, { hint: `${onTestSplit === "REG4011" ? "watch" : "optimize"} \`${name.replace(/^test_/, "val_")}\` instead` });
    return;
  }
  const split = splitOfMetric(name);
  if (split && !data.splits.has(split)) {
    if (data.misspelt?.has("split")) return;
    ctx.sink.report("REG4004", expr.span, { metric: name, split, data: data.name }, { hint: `add \`${split}: …\` to the \`split\` setting of \`${data.name}\`` });
    return;
  }
  // A task of unknown kind, or one in a block not read, reports metrics nobody can list yet.
  if (tasks.some(kindUnknown) || mayHoldUnread(ctx, "task")) return;
  ctx.sink.report("REG1010", expr.span, { value: name, what: "metric" }, didYouMean(name, expr.span, valid));
}
