import type { ClauseUse, ModelInfo, Program } from "../checker/program.js";
import { factoryCall } from "./arguments.js";
import type { EmitContext } from "./context.js";
import { camelCase, identifier, literal } from "./literal.js";

/** The generated name of a model's technique list: `mlpTechniques`. */
export function techniquesFunctionName(model: ModelInfo): string {
  return identifier(`${model.name}Techniques`);
}

/**
 * `function mlpTechniques(): reg.Technique[]`: one runtime module per clause,
 * with all its arguments and its `on` list expanded from globs. A function,
 * not a constant: techniques keep state (the best epoch, its weights), and
 * each run starts with fresh ones. Clauses that change the model's
 * structure appear in the model instead.
 */
export function techniquesDeclaration(ctx: EmitContext, program: Program, model: ModelInfo): string {
  const items: string[] = [];
  for (const block of program.regularize) {
    if (block.model !== model) continue;
    for (const use of block.uses) {
      if (use.technique.hooks.includes("model_structure") || use.technique.hooks.includes("solver") && program.train?.solver === "closed_form") continue;
      items.push(`// ${ctx.source(use.statement.span)} — ${ctx.where(use.statement.span)}\n${techniqueCode(use)},`);
    }
  }
  const where = program.regularize.find((b) => b.model === model);
  const header = where ? `// regularize ${model.name} — ${ctx.where(where.block.span)}\n` : "";
  return `${header}export function ${techniquesFunctionName(model)}(): reg.Technique[] {\nreturn [\n${items.join("\n")}\n];\n}`;
}

function techniqueCode(use: ClauseUse): string {
  const extra: Array<readonly [string, string]> = use.technique.clauses.on === "params" ? [["on", literal(use.on)]] : [];
  return factoryCall(camelCase(use.technique.name), use.technique.args, use.args, extra);
}
