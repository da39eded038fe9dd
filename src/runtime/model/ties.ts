import * as tf from "@tensorflow/tfjs";

/**
 * §7.9 parameter sharing: how `tie` and `soft_tie` name a parameter, and
 * what a hard tie means for the model that owns it.
 */

/** A parameter by key (`enc.kernel`), or its transpose, as `transpose(enc.kernel)` writes it. */
export type ParamOperand = string | { readonly transpose: string };

/** `transpose(enc.kernel)`: the parameter with its axes reversed. */
export function transpose(param: string): ParamOperand {
  return { transpose: param };
}

export function operandKey(operand: ParamOperand): string {
  return typeof operand === "string" ? operand : operand.transpose;
}

export function isTransposed(operand: ParamOperand): boolean {
  return typeof operand !== "string";
}

/** The operand as a spec writes it, for messages. */
export function operandText(operand: ParamOperand): string {
  return typeof operand === "string" ? operand : `transpose(${operand.transpose})`;
}

/** The operand's shape, given its parameter's. */
export function operandShape(operand: ParamOperand, shape: readonly number[]): number[] {
  return isTransposed(operand) ? [...shape].reverse() : [...shape];
}

/** The operand's value, given its parameter's tensor. */
export function operandValue(operand: ParamOperand, tensor: tf.Tensor): tf.Tensor {
  return isTransposed(operand) ? tf.transpose(tensor) : tensor;
}

/**
 * A hard tie: `param` gets no variable of its own; every pass uses
 * `source`'s variable in its place (transposed when `transposed`), so the
 * two are one variable and gradients from both uses add up.
 */
export interface Tie {
  param: string;
  source: string;
  transposed: boolean;
  /** The clause as written, for messages. */
  label: string;
}

/**
 * `tie(dec.kernel, transpose(enc.kernel))`: the first operand becomes the
 * second. A transpose on either side means one transpose between them.
 */
export function tie(a: ParamOperand, b: ParamOperand): Tie {
  return {
    param: operandKey(a),
    source: operandKey(b),
    transposed: isTransposed(a) !== isTransposed(b),
    label: `tie(${operandText(a)}, ${operandText(b)})`,
  };
}

/** Where a tied parameter's value comes from once chains (`c` → `b` → `a`) are followed to a variable. */
export interface SharedParam {
  source: string;
  transposed: boolean;
}

/**
 * Follows each tie to a parameter that is a variable of its own. Throws on
 * a parameter tied twice, an unknown key, a cycle, or shapes that do not
 * match (after the transpose).
 */
export function resolveTies(ties: readonly Tie[], shapes: ReadonlyMap<string, readonly number[]>, modelName: string): Map<string, SharedParam> {
  const byParam = new Map<string, Tie>();
  for (const t of ties) {
    for (const key of [t.param, t.source]) {
      if (!shapes.has(key)) throw new Error(`${t.label}: model ${modelName} has no parameter ${key} (it has ${[...shapes.keys()].join(", ")})`);
    }
    const earlier = byParam.get(t.param);
    if (earlier) throw new Error(`${t.label}: ${t.param} is already tied by ${earlier.label}`);
    byParam.set(t.param, t);
  }
  const resolved = new Map<string, SharedParam>();
  for (const t of ties) {
    let shared: SharedParam = { source: t.source, transposed: t.transposed };
    const seen = new Set([t.param]);
    for (let next = byParam.get(shared.source); next; next = byParam.get(shared.source)) {
      if (seen.has(next.param)) throw new Error(`${t.label}: the ties form a cycle through ${[...seen].join(", ")}`);
      seen.add(next.param);
      shared = { source: next.source, transposed: shared.transposed !== next.transposed };
    }
    const own = shapes.get(t.param)!;
    const source = shapes.get(shared.source)!;
    const given = shared.transposed ? [...source].reverse() : source;
    if (given.length !== own.length || given.some((n, i) => n !== own[i])) {
      throw new Error(`${t.label}: ${t.param} is ${own.join("×")} but ${shared.transposed ? `the transpose of ${shared.source}` : shared.source} is ${given.join("×")}`);
    }
    resolved.set(t.param, shared);
  }
  return resolved;
}
