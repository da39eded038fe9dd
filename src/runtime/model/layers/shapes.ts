/** Shape rules the layers share, matching the catalog's (Keras semantics, batch axis left out). */

export type Pair = [number, number];
export type Padding = "valid" | "same";

/** `3` or `[3]` means 3×3; `[3, 5]` means 3 high, 5 wide. */
export function pair(value: number | readonly number[]): Pair {
  if (typeof value === "number") return [value, value];
  const [first, second] = value;
  if (first === undefined) throw new Error("a window size or stride needs at least one number");
  return [first, second ?? first];
}

export function shapeText(shape: readonly number[]): string {
  return shape.join("×");
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, n) => product * n, 1);
}

/** Throws unless the input is a flat vector (`rank` 1) or an image (`rank` 3). */
export function expectRank(kind: string, input: readonly number[], rank: 1 | 3): void {
  if (input.length === rank) return;
  const expected = rank === 1 ? "a flat vector" : "an image (height×width×channels)";
  throw new Error(`${kind} expects ${expected} input, got shape ${shapeText(input)}`);
}

/**
 * Output height and width of a sliding window over an image: `valid` keeps
 * only full windows, floor((n − k)/s) + 1; `same` pads so the output is ceil(n/s).
 */
export function slide(kind: string, input: readonly number[], window: Pair, stride: Pair, padding: Padding): Pair {
  const [height, width] = input as [number, number, number];
  if (padding === "same") return [Math.ceil(height / stride[0]), Math.ceil(width / stride[1])];
  if (window[0] > height || window[1] > width) {
    throw new Error(`${kind} window ${shapeText(window)} is larger than its input ${shapeText(input)}`);
  }
  return [Math.floor((height - window[0]) / stride[0]) + 1, Math.floor((width - window[1]) / stride[1]) + 1];
}
