/** The largest seed: seeds are 32-bit unsigned integers, as the runtime's `deriveSeed` mixes them. */
export const MAX_SEED = 0xffffffff;

/** A flag's value or an environment variable that is not a whole number in the range it takes: the user's mistake. */
export class WholeNumberError extends Error {
  override readonly name = "WholeNumberError";
}

/**
 * `text` as a whole number from `min` to `max` (with no `max`, any safe
 * integer from `min`), or a WholeNumberError that names `source` (the flag
 * or variable), the range and the text. Digits only: no sign, fraction or
 * exponent; white space around them is allowed.
 */
export function parseWholeNumber(source: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (value >= min && value <= max) return value;
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  throw new WholeNumberError(`${source} needs a whole number ${range}, not \`${text}\``);
}
