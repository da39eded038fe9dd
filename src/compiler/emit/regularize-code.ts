import * as catalog from "../catalog/index.js";
import { shapeSize, type AlongTransform, type ClauseUse, type ModelInfo, type Program } from "../checker/program.js";
import { layerId } from "../checker/regularize.js";
import { factoryCall } from "./arguments.js";
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
      items.push(`// ${ctx.source(use.span)} — ${ctx.where(use.span)}\n${techniqueCode(use, tied)},`);
    }
  }
  const where = program.regularize.find((b) => b.model === model);
  const header = where ? `// regularize ${model.name} — ${ctx.where(where.span)}\n` : "";
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

function techniqueCode(use: ClauseUse, tied: ReadonlyMap<string, string>): string {
  const on = use.technique.clauses.on;
  const extra: Array<readonly [string, string]> =
    on === "params" ? [["on", literal(untied(use.on, tied))]] : on === "layers" ? [["on", literal(use.on)]] : [];
  // `using DATA.SPLIT` as `using: "SPLIT"`: the split whose batches the runtime draws alongside training batches.
  if (use.technique.clauses.using === "split" && use.using) extra.push(["using", literal(use.using.name)]);
  if (use.technique.clauses.along === "transforms") extra.push(["along", alongTransforms(use.along)]);
  extra.push(...lengthUnits(use));
  return factoryCall(camelCase(use.technique.name), use.technique.args, use.args, extra, operandArgs(use));
}

/**
 * A length bound from `10%` is a fraction of the image side, one from `2px`
 * or a bare number is pixels; the bound value alone cannot tell which, so
 * each given length argument gets a `<name>Unit` beside it.
 */
function lengthUnits(use: ClauseUse): Array<readonly [string, string]> {
  return Object.entries(use.call.units).map(([name, unit]) => [`${camelCase(name)}Unit`, literal(unit)] as const);
}

/**
 * `along rotate, manifold(cae, k: 10)` as `along: ["rotate", reg.manifold(caeModel, { k: 10, code: "code" })]`:
 * transforms by name; a transform that reads a model gets the variable of
 * that model (trained first) and its code, the model's narrowest layer.
 */
function alongTransforms(along: readonly AlongTransform[]): string {
  const items = along.map(({ call, model }) => {
    const fn = catalog.fn("transform", call.name)!;
    const arg = fn.args.find((spec) => spec.type.kind === "ref" && spec.type.to === "model");
    if (!model || !arg) return literal(call.name);
    return factoryCall(camelCase(fn.name), fn.args, call.values, [["code", literal(codeLayer(model))]], { [arg.name]: pretrainedVariable(model) });
  });
  return `[${items.join(", ")}]`;
}

/** Models the clauses on `model` read (`along manifold(cae)`): each must be trained before it. */
export function modelsReadBy(program: Program, model: ModelInfo): ModelInfo[] {
  const read = program.regularize
    .filter((block) => block.model === model)
    .flatMap((block) => block.uses)
    .flatMap((use) => use.along.flatMap((transform) => transform.model ?? []));
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
