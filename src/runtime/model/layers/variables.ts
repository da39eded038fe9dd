import type { LayerBuild, VariableSpec } from "../layer.js";

export function glorotUniform(shape: readonly number[]): VariableSpec {
  return { shape, init: { kind: "glorot_uniform" } };
}

export function uniform(shape: readonly number[], limit: number): VariableSpec {
  return { shape, init: { kind: "uniform", limit } };
}

export function constant(shape: readonly number[], value: number): VariableSpec {
  return { shape, init: { kind: "constant", value } };
}

/** A weighted layer's parameters: a Glorot-uniform kernel and, unless `useBias` is false, a zero bias of `units`. */
export function kernelAndBias(kernelShape: readonly number[], units: number, useBias: boolean): NonNullable<LayerBuild["params"]> {
  const kernel = glorotUniform(kernelShape);
  return useBias ? { kernel, bias: constant([units], 0) } : { kernel };
}
