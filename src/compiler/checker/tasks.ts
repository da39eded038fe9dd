import * as A from "../syntax/ast.js";
import * as catalog from "../catalog/index.js";
import type { ArgSpec } from "../catalog/types.js";
import { bindArgs } from "./args.js";
import type { CheckContext } from "./context.js";
import { shapeText, type LayerInfo, type ModelInfo, type TaskInfo } from "./program.js";
import { didYouMean } from "./suggest.js";
import { reportUnknownBlockName } from "./names.js";

/**
 * Checks a `task` line: its kind, the model output it scores and the data
 * target it is scored against, and that their shapes agree.
 */
export function checkTask(ctx: CheckContext, decl: A.TaskDecl): TaskInfo | undefined {
  const call = decl.call;
  if (!call || !decl.name) return undefined;
  const symbol = ctx.program.symbols.declare("task", decl.name.name, decl.name.span);
  const task: TaskInfo = { name: decl.name.name, symbol, decl, span: decl.span, kind: call.callee.name, args: {} };
  const spec = catalog.fn("task", call.callee.name);
  if (!spec) {
    ctx.sink.report("REG1012", call.callee.span, { name: call.callee.name }, didYouMean(call.callee.name, call.callee.span, catalog.functionsOf("task").map((f) => f.name)));
    // Every kind of task scores an output against a target, written first: those still resolve.
    const [output, target] = call.args.filter((a) => a.form === "positional").map((a) => a.value);
    if (output?.kind === "Ref") resolveOutput(ctx, task, output);
    if (target?.kind === "Ref") resolveTarget(ctx, task, target);
    return task;
  }
  const refs = new Map<string, A.Ref>();
  const bound = bindArgs(spec.name, call.callee.span, call.args, spec.args, {
    sink: ctx.sink,
    special: (arg: ArgSpec, expr: A.Expr) => {
      if (expr.kind === "Ref") refs.set(arg.name, expr);
    },
  });
  task.args = bound.values;
  const [outputArg, targetArg] = spec.args;
  const outputRef = outputArg && refs.get(outputArg.name);
  const targetRef = targetArg && refs.get(targetArg.name);
  if (outputRef) resolveOutput(ctx, task, outputRef);
  if (targetRef) resolveTarget(ctx, task, targetRef);
  checkAgreement(ctx, task, outputRef);
  return task;
}

/** `MODEL.LAYER`, or `MODEL.output` for the model's last layer. */
function resolveOutput(ctx: CheckContext, task: TaskInfo, ref: A.Ref): void {
  const [modelName, layerName, ...rest] = ref.segments;
  if (!modelName || !layerName || rest.length > 0 || A.isGlob(ref)) {
    ctx.sink.report("REG1016", ref.span, { detail: "a task's output is written `MODEL.LAYER` or `MODEL.output`" });
    return;
  }
  const model = ctx.program.models.get(modelName.name);
  if (!model) {
    reportUnknownBlockName(ctx, "model", modelName.name, modelName.span, ctx.program.models.keys());
    return;
  }
  ctx.program.symbols.refer(modelName.span, model.symbol);
  task.model = model;
  const layer = layerName.name === "output" ? model.output : model.byName.get(layerName.name);
  if (!layer) {
    ctx.sink.report("REG1005", layerName.span, { what: "layer", where: ` in \`${model.name}\``, name: layerName.name }, didYouMean(layerName.name, layerName.span, [...model.byName.keys(), "output"]));
    return;
  }
  // `MODEL.output` names whichever layer is last: it is not a use of that layer's name.
  if (layerName.name !== "output" && layer.symbol) ctx.program.symbols.refer(layerName.span, layer.symbol);
  task.output = layer;
}

/** `DATA.TARGET`, or `DATA.input` for reconstruction. */
function resolveTarget(ctx: CheckContext, task: TaskInfo, ref: A.Ref): void {
  const [dataName, targetName, ...rest] = ref.segments;
  if (!dataName || !targetName || rest.length > 0 || A.isGlob(ref)) {
    ctx.sink.report("REG1016", ref.span, { detail: "a task's target is written `DATA.TARGET` (or `DATA.input` to reconstruct the input)" });
    return;
  }
  const data = ctx.program.data.get(dataName.name);
  if (!data) {
    reportUnknownBlockName(ctx, "data", dataName.name, dataName.span, ctx.program.data.keys());
    return;
  }
  ctx.program.symbols.refer(dataName.span, data.symbol);
  task.data = data;
  if (task.model?.data && task.model.data !== data) {
    ctx.sink.report("REG1016", dataName.span, { detail: `model \`${task.model.name}\` reads \`${task.model.data.name}\`, but this target is from \`${data.name}\`` });
  }
  if (targetName.name === "input") {
    task.target = "input";
    return;
  }
  const target = data.targets.get(targetName.name);
  if (!target) {
    if (data.misspelt?.has("target")) return;
    ctx.sink.report("REG1005", targetName.span, { what: "target", where: ` of \`${data.name}\``, name: targetName.name }, didYouMean(targetName.name, targetName.span, [...data.targets.keys(), "input"]));
    return;
  }
  if (target.symbol) ctx.program.symbols.refer(targetName.span, target.symbol);
  task.target = target;
}

const EXPECTED_TARGET: Record<string, { kinds: string[]; words: string }> = {
  classify: { kinds: ["class"], words: "a `class(…)` target" },
  regress: { kinds: ["number"], words: "a `number(…)` target" },
  reconstruct: { kinds: ["input", "self"], words: "the input (`DATA.input`)" },
};

function checkAgreement(ctx: CheckContext, task: TaskInfo, outputRef: A.Ref | undefined): void {
  const { output, target } = task;
  if (!output || !target) return;
  const targetKind = target === "input" ? "input" : target.kind;
  if (targetKind === "unknown") return;
  const expected = EXPECTED_TARGET[task.kind];
  if (expected && !expected.kinds.includes(targetKind)) {
    ctx.sink.report("REG4010", task.decl.call!.span, { detail: `\`${task.kind}\` needs ${expected.words}, but \`${target === "input" ? "input" : target.name}\` is ${targetKind === "input" ? "the input" : `a ${targetKind} target`}` });
    return;
  }
  const shape = output.outputShape;
  if (!shape) return;
  const related = layerNote(output);
  const at = outputRef?.span ?? task.decl.call!.span;
  if (task.kind === "classify" && target !== "input" && target.classes !== undefined) {
    if (shape.length !== 1 || shape[0] !== target.classes) {
      ctx.sink.report("REG3002", at, { task: task.name, classes: target.classes, layer: layerLabel(output), units: shapeText(shape) }, { related, hint: `make \`${layerLabel(output)}\` have ${target.classes} outputs` });
    }
  } else if (task.kind === "regress" && (shape.length !== 1 || shape[0] !== 1)) {
    ctx.sink.report("REG3006", at, { task: task.name, expected: "1", layer: layerLabel(output), actual: shapeText(shape) }, { related });
  } else if (task.kind === "reconstruct" && task.data?.inputShape && shapeText(task.data.inputShape) !== shapeText(shape)) {
    ctx.sink.report("REG3006", at, { task: task.name, expected: shapeText(task.data.inputShape), layer: layerLabel(output), actual: shapeText(shape) }, { related, hint: "end the model with a layer (e.g. `reshape(…)`) that gives the input's shape" });
  }
}

function layerLabel(layer: LayerInfo): string {
  return layer.name ?? layer.kind;
}

function layerNote(layer: LayerInfo) {
  return [{ span: layer.statement.span, message: `\`${layerLabel(layer)}\` outputs ${shapeText(layer.outputShape)}` }];
}

export function layersUsedByTasks(tasks: Iterable<TaskInfo>, model: ModelInfo): Set<LayerInfo> {
  const used = new Set<LayerInfo>();
  for (const task of tasks) if (task.model === model && task.output) used.add(task.output);
  return used;
}

/** A task whose kind is misspelled (already reported): what it scores, and how, is unknown. */
export function kindUnknown(task: TaskInfo): boolean {
  return catalog.fn("task", task.kind) === undefined;
}
