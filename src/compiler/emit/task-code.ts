import * as catalog from "../catalog/index.js";
import type { LayerInfo, ModelInfo, TaskInfo } from "../checker/program.js";
import type { EmitContext } from "./context.js";
import { camelCase, identifier, literal, objectLiteral } from "./literal.js";

/** Layers that only reshape or mask: the activation that matters is the one before them. */
const PASS_THROUGH = new Set(["flatten", "reshape", "dropout", "gaussian_noise"]);

/** `export const tasks: reg.Task[] = [reg.classify("digit", { … }), …]`: each task's output, target, loss and weight. */
export function tasksDeclaration(ctx: EmitContext, tasks: readonly TaskInfo[], name = "tasks"): string {
  const items = tasks.map((task) => `// ${ctx.source(task.span)} — ${ctx.where(task.span)}\n${taskCode(task)},`);
  return `export const ${name}: reg.Task[] = [\n${items.join("\n")}\n];`;
}

/** The tasks of a model trained first for another's clauses (`along manifold(cae)`): `caeTasks`. */
export function pretrainedTasksName(model: ModelInfo): string {
  return identifier(`${model.name}Tasks`);
}

function taskCode(task: TaskInfo): string {
  const fn = catalog.fn("task", task.kind)!;
  const values = task.args;
  const output = task.output === task.model?.output && !task.output?.name ? "output" : (task.output?.name ?? "output");
  const target = task.target === "input" || task.target?.kind === "self" ? "input" : (task.target?.name ?? "");
  const entries: Array<[string, string]> = [["output", literal(output)], ["target", literal(target)]];
  for (const spec of fn.args) {
    const value = values[spec.name];
    if (spec.type.kind === "ref" || value === undefined) continue;
    entries.push([camelCase(spec.name), literal(value)]);
  }
  const logits = fromLogits(task);
  if (logits !== undefined) entries.push(["fromLogits", String(logits)]);
  return `reg.${camelCase(fn.name)}(${literal(task.name)}, ${objectLiteral(entries)})`;
}

/** Whether the scored output is raw scores: a classifier without softmax, a reconstruction without sigmoid. */
function fromLogits(task: TaskInfo): boolean | undefined {
  const activation = effectiveActivation(task.output);
  if (task.kind === "classify") return activation !== "softmax";
  if (task.kind === "reconstruct") return activation !== "sigmoid";
  return undefined;
}

function effectiveActivation(layer: LayerInfo | undefined): string | undefined {
  for (let at = layer; at; at = at.source === "input" ? undefined : at.source) {
    const activation = at.args["activation"];
    if (typeof activation === "string") return activation;
    if (!PASS_THROUGH.has(at.kind)) return undefined;
  }
  return undefined;
}
