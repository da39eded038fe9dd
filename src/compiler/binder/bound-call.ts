import type { ResolvedArgs } from "../catalog/types.js";

/**
 * A call's arguments bound once to the catalog's argument specs: each value
 * in the argument's quantity (`10%` is 0.1), defaults filled in, and what
 * the value alone cannot say kept beside it.
 */
export interface BoundCall {
  /** The catalog name of what is called: a layer, technique, function or setting. */
  name: string;
  /** By argument name: what was written, converted, or the catalog's default; undefined where invalid. */
  values: ResolvedArgs;
  /**
   * Lengths (`translate: 2px`, `crop: 10%`): `fraction` when written in `%`
   * (a fraction of the image side), `px` otherwise. Only for arguments
   * written with a valid value.
   */
  units: Readonly<Record<string, LengthUnit>>;
  /** Arguments that are themselves calls (`optimizer adam(lr: 1e-3)`, `transpose(enc.kernel)`), bound in turn. */
  calls: Readonly<Record<string, BoundCall>>;
}

export type LengthUnit = "px" | "fraction";

/** The parameter an operand argument names (`dec.kernel`, or `enc.kernel` inside `transpose(enc.kernel)`). */
export function operandParam(call: BoundCall, argument: string): string | undefined {
  const wrapped = call.calls[argument];
  const value = wrapped ? Object.values(wrapped.values)[0] : call.values[argument];
  return typeof value === "string" ? value : undefined;
}
