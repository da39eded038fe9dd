import { applyActivation, type ActivationName } from "../activations.js";
import type { LayerDef } from "../layer.js";
import { identity, type LayerOptions } from "./options.js";

/** A nonlinearity on its own (e.g. after batch norm); keeps the shape. */
export function activation(fn: ActivationName, options: LayerOptions = {}): LayerDef {
  return {
    kind: "activation",
    ...identity(options),
    build: (input) => ({ outputShape: input }),
    apply: (x) => applyActivation(x, fn),
  };
}
