import * as catalog from "../catalog/index.js";
import type { LayerInfo, ModelInfo, Program } from "../checker/program.js";
import { layerId } from "../checker/regularize.js";
import { factoryCall } from "./arguments.js";
import type { EmitContext } from "./context.js";
import { camelCase, identifier, literal } from "./literal.js";
import { operandArgs, sharingClauses } from "./param-operands.js";

/** The generated name of a model's factory: `buildMlp`. */
export function modelFactoryName(model: ModelInfo): string {
  return identifier(`build${model.name.charAt(0).toUpperCase()}${model.name.slice(1)}`);
}

/** A layer a `regularize` clause inserts: `dropout(0.5) after h1`, `gaussian_noise(0.1) on input`. */
interface InsertedLayer {
  code: string;
  comment: string;
}

/**
 * `function buildMlp(seed: number): reg.Model { … }`: every layer with all
 * its arguments, and the layers that model-structure clauses
 * (`dropout … after`, `gaussian_noise … on`) insert, each where it acts;
 * then the hard ties (`tie(dec.kernel, transpose(enc.kernel))`), which
 * the model builds as one variable.
 */
export function modelDeclaration(ctx: EmitContext, program: Program, model: ModelInfo): string {
  const inserted = insertedLayers(ctx, program, model);
  const lines: string[] = [];
  const addInserted = (key: string) => {
    for (const layer of inserted.get(key) ?? []) lines.push(`${layer.code}, // ${layer.comment}`);
  };
  addInserted("input");
  model.layers.forEach((layer, index) => {
    lines.push(`${layerCode(model, layer, index)}, // ${ctx.where(layer.span)}`);
    if (layer.name) addInserted(layer.name);
  });
  const shape = literal(model.inputShape ?? []);
  const ties = sharingClauses(program, model).map(
    (use) => `// ${ctx.source(use.span)} — ${ctx.where(use.span)}\n${factoryCall(camelCase(use.technique.name), use.technique.args, use.args, [], operandArgs(use))},`,
  );
  return [
    `// model ${model.name}(${model.data?.name ?? "?"}.input) — ${ctx.where(model.span)}`,
    `export function ${modelFactoryName(model)}(seed: number): reg.Model {`,
    `return new reg.Model(${literal(model.name)}, ${shape}, [`,
    ...lines,
    ties.length === 0 ? `], seed);` : `], seed, {\nties: [\n${ties.join("\n")}\n],\n});`,
    `}`,
  ].join("\n");
}

function layerCode(model: ModelInfo, layer: LayerInfo, index: number): string {
  const spec = layer.spec ?? catalog.layer(layer.kind)!;
  const extra: Array<readonly [string, string]> = [];
  // An unnamed layer with parameters gets the name the checker gave it (`dense_3`), which `on` lists use.
  if (layer.name || layer.paramNames.length > 0) extra.push(["name", literal(layerId(model, layer))]);
  const previous = index === 0 ? "input" : model.layers[index - 1];
  if (layer.source !== previous && layer.source !== "input") extra.push(["from", literal(layer.source.name ?? "")]);
  return factoryCall(camelCase(spec.name), spec.args, layer.args, extra);
}

/** Clauses with the `model_structure` hook name a layer kind of their own name; they land after their target. */
function insertedLayers(ctx: EmitContext, program: Program, model: ModelInfo): Map<string, InsertedLayer[]> {
  const byTarget = new Map<string, InsertedLayer[]>();
  for (const block of program.regularize) {
    if (block.model !== model) continue;
    for (const use of block.uses) {
      const layerSpec = catalog.layer(use.technique.name);
      if (!use.technique.hooks.includes("model_structure") || !layerSpec) continue;
      const code = factoryCall(camelCase(layerSpec.name), layerSpec.args, use.args);
      const comment = `${ctx.source(use.span)} — ${ctx.where(use.span)}`;
      for (const target of use.after !== undefined ? [use.after] : use.on) {
        if (!byTarget.has(target)) byTarget.set(target, []);
        byTarget.get(target)!.push({ code, comment });
      }
    }
  }
  return byTarget;
}
