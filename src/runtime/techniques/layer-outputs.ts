import type { Model } from "../model/model.js";

/** The `on` list of an activation penalty: layer names as the spec wrote them. */
export interface OnLayers {
  on: readonly string[];
}

/** Throws unless the model has every named layer: an unknown name means the code and the model disagree. */
export function checkLayers(model: Model, names: readonly string[], label: string): void {
  for (const name of names) {
    if (!model.outputShapes.has(name)) {
      throw new Error(`${label}: model ${model.name} has no layer ${name} (it has ${[...model.outputShapes.keys()].join(", ")})`);
    }
  }
}
