import { expect } from "vitest";

/**
 * Asserts arrays of numbers equal element for element (bit for bit: NaN
 * equals NaN, 0 and −0 differ), reporting the first difference by its
 * place: a diff of every value of a large array takes minutes to print.
 */
export function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, what = "values"): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}
