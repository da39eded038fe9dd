import { UsageError } from "./usage-error.js";

/** The largest seed: seeds are 32-bit unsigned integers, as the runtime's `deriveSeed` mixes them. */
export const MAX_SEED = 0xffffffff;

/** A flag's value as a whole number in [min, max], or a usage error saying which range. */
export function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${flag} needs a whole number from ${min} to ${max}, not \`${text}\``);
  return value;
}
