import * as A from "../syntax/ast.js";
import * as catalog from "../catalog/index.js";
import type { FunctionFamily } from "../catalog/types.js";
import type { DataInfo, ModelInfo, Program } from "../checker/program.js";
import { bindCall, factoryCall } from "./arguments.js";
import { settingOf, settingNumber, type EmitContext } from "./context.js";
import { dataConstName } from "./data-code.js";
import { literal, objectLiteral } from "./literal.js";
import { modelFactoryName } from "./model-code.js";
import { techniquesFunctionName } from "./regularize-code.js";

/**
 * `export async function main(…)`: open the run, load the data, build the
 * model, then either the training loop over epochs or the closed-form
 * solve, and the final report.
 */
export function mainDeclaration(ctx: EmitContext, program: Program, model: ModelInfo, data: DataInfo, runName: string): string {
  const train = program.train!;
  const body = train.block.body;
  const seed = settingNumber(body, "seed") ?? 0;
  const start = [
    `// train — ${ctx.where(train.block.span)}`,
    `export async function main(options: reg.RunOptions = {}): Promise<reg.RunResult> {`,
    `const run = await reg.Run.start(${objectLiteral([["spec", literal(ctx.specName)], ["name", literal(runName)], ["seed", String(seed)], ["code", "import.meta.url"]])}, options);`,
    `const data = await run.load(${dataConstName(data)});`,
    `const model = ${modelFactoryName(model)}(run.seed);`,
  ];
  const rest = train.solver === "closed_form" ? closedForm(program, model) : gradientLoop(model, body);
  return [...start, ...rest, `}`].join("\n");
}

function gradientLoop(model: ModelInfo, body: readonly A.Statement[]): string[] {
  const plan: Array<[string, string]> = [
    ["model", "model"],
    ["data", "data"],
    ["tasks", "tasks"],
    ["techniques", `${techniquesFunctionName(model)}()`],
    ["optimizer", familyCall(body, "optimizer", "optimizer") ?? "reg.sgd({})"],
    ["schedule", familyCall(body, "schedule", "schedule") ?? "reg.constant()"],
    ["epochs", String(settingNumber(body, "epochs") ?? 1)],
    ["batch", String(settingNumber(body, "batch") ?? 32)],
    ["seed", "run.seed"],
  ];
  const clip = settingNumber(body, "clip_norm");
  if (clip !== undefined) plan.push(["clipNorm", String(clip)]);
  return [
    `const trainer = await run.trainer(${objectLiteral(plan)});`,
    `for (let epoch = trainer.firstEpoch; epoch <= trainer.epochs; epoch++) {`,
    `await trainer.trainEpoch(epoch);`,
    `if (await trainer.endEpoch(epoch)) break; // validation, epoch-end techniques, checkpoint`,
    `}`,
    `return run.finish(trainer);`,
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
function familyCall(body: readonly A.Statement[], keyword: string, family: FunctionFamily): string | undefined {
  const expr = settingOf(body, keyword)?.args[0]?.value;
  const head = expr && A.calleeOf(expr);
  const fn = head && catalog.fn(family, head.name);
  if (!fn || !expr) return undefined;
  const values = bindCall(fn.name, expr.kind === "Call" ? expr.args : [], fn.args);
  // Optimizer and schedule factories take one options object, even for a positional `lr`.
  return factoryCall(fn.name, fn.args.map((a) => ({ ...a, required: false })), values);
}
