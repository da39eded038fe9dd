import type { Model } from "./model.js";

/** A model's layers as a table: what each is, what it reads, its output shape and how many values it trains. */
export interface ModelSummary {
  name: string;
  inputShape: number[];
  layers: Array<{ layer: string; kind: string; from: string; outputShape: number[]; params: number }>;
  /** Trainable values; a tied parameter counts once, under the layer that owns it. */
  totalParams: number;
}

export function summarizeModel(model: Model): ModelSummary {
  const layers = [...model.outputShapes].map(([key, shape]) => {
    const placed = model.layer(key);
    let params = 0;
    for (const [name, variable] of model.params) if (name.startsWith(`${key}.`)) params += variable.size;
    return { layer: key, kind: placed?.def.kind ?? "", from: placed?.source ?? "input", outputShape: [...shape], params };
  });
  return { name: model.name, inputShape: [...model.inputShape], layers, totalParams: model.paramCount };
}
