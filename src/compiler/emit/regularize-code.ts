import * as A from "../syntax/ast.js";
import * as catalog from "../catalog/index.js";
import type { ArgSpec, FunctionSpec } from "../catalog/types.js";
import { pairArgs } from "../checker/args.js";
import { shapeSize, type ClauseUse, type ModelInfo, type Program } from "../checker/program.js";
import { layerId } from "../checker/regularize.js";
import { bindCall, factoryCall } from "./arguments.js";
import type { EmitContext } from "./context.js";
import { camelCase, identifier, literal } from "./literal.js";
import { operandArgs, tiedParams } from "./param-operands.js";

/** The generated name of a model's technique list: `mlpTechniques`. */
export function techniquesFunctionName(model: ModelInfo): string {
  return identifier(`${model.name}Techniques`);
}

/**
 * `function mlpTechniques(): reg.Technique[]`: one runtime module per clause,
 * with all its arguments and its `on` list expanded from globs. A function,
 * not a constant: techniques keep state (the best epoch, its weights), and
 * each run starts with fresh ones. Clauses that change the model's
 * structure appear in the model instead. Models its clauses read
 * (`along manifold(cae)`) are its parameters: `main` trains them first.
 */
export function techniquesDeclaration(ctx: EmitContext, program: Program, model: ModelInfo): string {
  const items: string[] = [];
  const tied = tiedParams(program, model);
  for (const block of program.regularize) {
    if (block.model !== model) continue;
    for (const use of block.uses) {
      if (insertsLayer(use) || builtElsewhere(use) || use.technique.hooks.includes("solver") && program.train?.solver === "closed_form") continue;
      items.push(`// ${ctx.source(use.statement.span)} — ${ctx.where(use.statement.span)}\n${techniqueCode(program, use, tied)},`);
    }
  }
  const where = program.regularize.find((b) => b.model === model);
  const header = where ? `// regularize ${model.name} — ${ctx.where(where.block.span)}\n` : "";
  const parameters = modelsReadBy(program, model).map((read) => `${pretrainedVariable(read)}: reg.Model`);
  return `${header}export function ${techniquesFunctionName(model)}(${parameters.join(", ")}): reg.Technique[] {\nreturn [\n${items.join("\n")}\n];\n}`;
}

/** Model-structure clauses named like a layer kind (`dropout`, `gaussian_noise`) are layers in the model (model-code.ts); others (`weight_noise`) are techniques. */
function insertsLayer(use: ClauseUse): boolean {
  return use.technique.hooks.includes("model_structure") && catalog.layer(use.technique.name) !== undefined;
}

/** Hard ties are built into the model (model-code.ts), bagging's members by `main` (main-code.ts). */
function builtElsewhere(use: ClauseUse): boolean {
  return use.technique.hooks.includes("share_params") || use.technique.hooks.includes("ensemble");
}

/** A tied parameter has no variable of its own: a clause naming it acts on the variable it uses, once. */
function untied(on: readonly string[], tied: ReadonlyMap<string, string>): string[] {
  return [...new Set(on.map((param) => tied.get(param) ?? param))];
}

function techniqueCode(program: Program, use: ClauseUse, tied: ReadonlyMap<string, string>): string {
  const on = use.technique.clauses.on;
  const extra: Array<readonly [string, string]> =
    on === "params" ? [["on", literal(untied(use.on, tied))]] : on === "layers" ? [["on", literal(use.on)]] : [];
  if (use.technique.clauses.using === "split") extra.push(...usingSplit(use));
  if (use.technique.clauses.along === "transforms") extra.push(["along", alongTransforms(program, use)]);
  extra.push(...lengthUnits(use));
  return factoryCall(camelCase(use.technique.name), use.technique.args, use.args, extra, operandArgs(use));
}

/**
 * A length bound from `10%` is a fraction of the image side, one from `2px`
 * or a bare number is pixels; the bound value alone cannot tell which, so
 * each given length argument gets a `<name>Unit` beside it.
 */
function lengthUnits(use: ClauseUse): Array<readonly [string, string]> {
  return pairArgs(use.statement.call.args, use.technique.args).flatMap(({ arg, spec }) => {
    const type = spec?.type;
    if (!spec || (type?.kind !== "number" && type?.kind !== "range") || type.quantity !== "pixels" || use.args[spec.name] === undefined) return [];
    const numbers = arg.value?.kind === "List" ? arg.value.items : [arg.value];
    const fraction = numbers.every((item) => item?.kind === "Number" && item.unit === "%");
    return [[`${camelCase(spec.name)}Unit`, literal(fraction ? "fraction" : "px")] as const];
  });
}

/**
 * `along rotate, manifold(cae, k: 10)` as `along: ["rotate", reg.manifold(caeModel, { k: 10, code: "code" })]`:
 * transforms by name; a transform that reads a model gets the variable of
 * that model (trained first) and its code, the model's narrowest layer.
 */
function alongTransforms(program: Program, use: ClauseUse): string {
  const targets = use.statement.clauses.find((clause) => clause.keyword === "along")?.targets ?? [];
  const items = targets.flatMap((target) => {
    if (target.kind === "Ref") return [literal(target.segments[0]!.name)];
    const read = modelReadBy(program, target);
    if (!read || target.kind !== "Call") return [];
    const values = bindCall(read.fn.name, target.args, read.fn.args);
    const code = literal(codeLayer(read.model));
    return [factoryCall(camelCase(read.fn.name), read.fn.args, values, [["code", code]], { [read.arg.name]: pretrainedVariable(read.model) })];
  });
  return `[${items.join(", ")}]`;
}

/** The transform call's catalog entry, its model argument and the model it names (`manifold(cae, …)`), if it reads one. */
function modelReadBy(program: Program, target: A.Expr): { fn: FunctionSpec; arg: ArgSpec; model: ModelInfo } | undefined {
  const head = A.calleeOf(target);
  const fn = head && catalog.fn("transform", head.name);
  const arg = fn?.args.find((spec) => spec.type.kind === "ref" && spec.type.to === "model");
  if (!fn || !arg || target.kind !== "Call") return undefined;
  const value = bindCall(fn.name, target.args, fn.args)[arg.name];
  const model = typeof value === "string" ? program.models.get(value) : undefined;
  return model && { fn, arg, model };
}

/** Models the clauses on `model` read (`along manifold(cae)`): each must be trained before it. */
export function modelsReadBy(program: Program, model: ModelInfo): ModelInfo[] {
  const read = program.regularize
    .filter((block) => block.model === model)
    .flatMap((block) => block.uses)
    .flatMap((use) => use.statement.clauses.filter((clause) => clause.keyword === "along").flatMap((clause) => clause.targets))
    .flatMap((target) => modelReadBy(program, target)?.model ?? []);
  return [...new Set(read)];
}

/** An autoencoder's code: its narrowest layer (the first, on a tie), whose Jacobian gives the manifold's tangents. */
export function codeLayer(model: ModelInfo): string {
  const sized = model.layers.map((layer) => ({ layer, size: layer.outputShape ? shapeSize(layer.outputShape) : Infinity }));
  const narrowest = sized.reduce((best, next) => (next.size < best.size ? next : best), sized[0]!);
  return layerId(model, narrowest.layer);
}

/** The generated variable holding a model trained first for another's techniques: `caeModel`. */
export function pretrainedVariable(model: ModelInfo): string {
  return identifier(`${model.name}Model`);
}

/** `cnnTechniques()`, or `cnnTechniques(caeModel)` when its clauses read models trained first. */
export function techniquesCall(program: Program, model: ModelInfo): string {
  return `${techniquesFunctionName(model)}(${modelsReadBy(program, model).map(pretrainedVariable).join(", ")})`;
}

/** `using DATA.SPLIT` as `using: "SPLIT"`: the split whose batches the runtime draws alongside training batches. */
function usingSplit(use: ClauseUse): Array<readonly [string, string]> {
  const target = use.statement.clauses.find((clause) => clause.keyword === "using")?.targets[0];
  return target?.kind === "Ref" && target.segments.length === 2 ? [["using", literal(target.segments[1]!.name)]] : [];
}
