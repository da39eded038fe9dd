import * as catalog from "../catalog/index.js";
import type { FunctionFamily } from "../catalog/types.js";
import type { BoundCall } from "../binder/bound-call.js";
import type { ClauseUse, DataInfo, ModelInfo, Program } from "../checker/program.js";
import { factoryCall } from "./arguments.js";
import { settingValue, type EmitContext } from "./context.js";
import { dataConstName } from "./data-code.js";
import { camelCase, identifier, literal, objectLiteral } from "./literal.js";
import { modelFactoryName } from "./model-code.js";
import { modelsReadBy, pretrainedVariable, techniquesCall, techniquesFunctionName } from "./regularize-code.js";
import { pretrainedTasksName } from "./task-code.js";

/**
 * `export async function main(…)`: open the run, load the data, build the
 * model, then either the training loop over epochs or the closed-form
 * solve, and the final report. With `bagging`, the model is built and
 * trained once per member, inside a loop over the ensemble's members.
 */
export function mainDeclaration(ctx: EmitContext, program: Program, model: ModelInfo, data: DataInfo, runName: string): string {
  const train = program.train!;
  const body = train.settings;
  const seed = settingValue(body, "seed") ?? 0;
  const start = [
    `// train — ${ctx.where(train.span)}`,
    `export async function main(options: reg.RunOptions = {}): Promise<reg.RunResult> {`,
    `const run = await reg.Run.start(${objectLiteral([["spec", literal(ctx.specName)], ["name", literal(runName)], ["seed", String(seed)], ["code", "import.meta.url"], ["specText", "SPEC_TEXT"]])}, options);`,
    `const data = await run.load(${dataConstName(data)});`,
  ];
  const ensemble = program.regularize.flatMap((b) => (b.model === model ? b.uses : [])).find((u) => u.technique.hooks.includes("ensemble"));
  if (train.solver === "closed_form") return [...start, `const model = ${modelFactoryName(model)}(run.seed);`, ...closedForm(program, model), `}`].join("\n");
  if (ensemble) return [...start, ...ensembleLoop(ctx, ensemble, model, body), `}`].join("\n");
  return [
    ...start,
    ...modelsReadBy(program, model).flatMap((read) => pretraining(ctx, program, read, body)),
    `const model = ${modelFactoryName(model)}(run.seed);`,
    `const trainer = await run.trainer(${trainingPlan(model, body, "data", "run.seed", { techniques: techniquesCall(program, model) })});`,
    ...epochLoop(),
    `return run.finish(trainer);`,
    `}`,
  ].join("\n");
}

/** The `train` block's settings, by name. */
type TrainSettings = ReadonlyMap<string, BoundCall>;

/** `{ model, data, tasks, techniques: …, optimizer: …, … }`: what one training loop runs; `names` for a model trained first. */
function trainingPlan(
  model: ModelInfo,
  body: TrainSettings,
  data: string,
  seed: string,
  names: { model?: string; tasks?: string; techniques?: string } = {},
): string {
  const plan: Array<[string, string]> = [
    ["model", names.model ?? "model"],
    ["data", data],
    ["tasks", names.tasks ?? "tasks"],
    ["techniques", names.techniques ?? `${techniquesFunctionName(model)}()`],
    ["optimizer", familyCall(body, "optimizer", "optimizer") ?? "reg.sgd({})"],
    ["schedule", familyCall(body, "schedule", "schedule") ?? "reg.constant()"],
    ["epochs", String(settingValue(body, "epochs") ?? 1)],
    ["batch", String(settingValue(body, "batch") ?? 32)],
    ["seed", seed],
  ];
  const steps = settingValue(body, "steps_per_epoch");
  if (steps !== undefined) plan.push(["stepsPerEpoch", String(steps)]);
  const clip = settingValue(body, "clip_norm");
  if (clip !== undefined) plan.push(["clipNorm", String(clip)]);
  return objectLiteral(plan);
}

function epochLoop(trainer = "trainer"): string[] {
  return [
    `for (let epoch = ${trainer}.firstEpoch; epoch <= ${trainer}.epochs; epoch++) {`,
    `await ${trainer}.trainEpoch(epoch);`,
    `if (await ${trainer}.endEpoch(epoch)) break; // validation, epoch-end techniques, checkpoint`,
    `}`,
  ];
}

/** A model the main model's clauses read (`along manifold(cae)`): built and trained to the end first, with the same settings. */
function pretraining(ctx: EmitContext, program: Program, model: ModelInfo, body: TrainSettings): string[] {
  const variable = pretrainedVariable(model);
  const trainer = identifier(`${model.name}Trainer`);
  const names = { model: variable, tasks: pretrainedTasksName(model), techniques: techniquesCall(program, model) };
  return [
    `// model ${model.name} — ${ctx.where(model.span)}: the next model's clauses read it, so it is trained first`,
    `const ${variable} = ${modelFactoryName(model)}(run.seed);`,
    `const ${trainer} = await run.pretrainer(${trainingPlan(model, body, "data", "run.seed", names)});`,
    ...epochLoop(trainer),
    `await run.finishPretrained(${trainer});`,
  ];
}

/** §7.11 bagging: one model and training loop per member, then the members' predictions combined. */
function ensembleLoop(ctx: EmitContext, use: ClauseUse, model: ModelInfo, body: TrainSettings): string[] {
  return [
    `// ${ctx.source(use.span)} — ${ctx.where(use.span)}`,
    `const ensemble = run.ensemble(${factoryCall(camelCase(use.technique.name), use.technique.args, use.args)}, data);`,
    `for (const member of ensemble.members) {`,
    `// Its own initial weights (member.seed) and its own bootstrap resample of train (member.data).`,
    `const model = ${modelFactoryName(model)}(member.seed);`,
    `const trainer = await member.trainer(${trainingPlan(model, body, "member.data", "member.seed")});`,
    ...epochLoop(),
    `await member.finish(trainer); // final weights, metrics and report in the member's folder`,
    `}`,
    `return run.finishEnsemble(ensemble); // the combined prediction, measured beside each member`,
  ];
}

/** §7.3: the ridge solution from the `l2` clause's α, written into the model's dense layer. */
function closedForm(program: Program, model: ModelInfo): string[] {
  const task = [...program.tasks.values()].find((t) => t.model === model)!;
  const layer = task.output?.name ?? "output";
  const l2 = program.regularize.flatMap((b) => (b.model === model ? b.uses : [])).find((u) => u.technique.hooks.includes("solver"));
  const alpha = Number(l2?.args[l2.technique.args[0]!.name] ?? 0);
  const penalizeBias = l2?.on.includes(`${layer}.bias`) ?? false;
  const target = task.target === "input" ? "input" : (task.target?.name ?? "");
  const options = objectLiteral([["layer", literal(layer)], ["target", literal(target)], ["alpha", String(alpha)], ["penalizeBias", String(penalizeBias)]]);
  return [
    `// solver closed_form: w = (XᵀX + αI)⁻¹Xᵀy, α from ${l2 ? `l2(${alpha})` : "no l2 clause"}`,
    `const solution = reg.solveRidge(data.splits.train!, ${options});`,
    `reg.assignRidge(model, ${literal(layer)}, solution);`,
    `return run.finishSolved({ model, data, tasks, solution });`,
  ];
}

/** `reg.adam({ lr: 0.001, … })` for a setting that calls a catalog function (`optimizer adam(lr: 1e-3)`). */
function familyCall(body: TrainSettings, keyword: string, family: FunctionFamily): string | undefined {
  const call = body.get(keyword)?.calls["value"];
  const fn = call && catalog.fn(family, call.name);
  if (!fn || !call) return undefined;
  // Optimizer and schedule factories take one options object, even for a positional `lr`.
  return factoryCall(fn.name, fn.args.map((a) => ({ ...a, required: false })), call.values);
}
