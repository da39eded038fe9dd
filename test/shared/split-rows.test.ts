import { describe, expect, it } from "vitest";
import { splitRows, writtenSplitSize } from "../../src/shared/split-rows.js";

const fractions = (...values: Array<[string, number]>) => values.map(([name, value]) => ({ name, value, fraction: true }));

describe("splitRows", () => {
  it("gives counts as written", () => {
    const rows = splitRows(
      [
        { name: "train", value: 1000, fraction: false },
        { name: "val", value: 500, fraction: false },
      ],
      70000,
    );
    expect([...rows]).toEqual([
      ["train", 1000],
      ["val", 500],
    ]);
  });

  it("rounds fractions down when they leave rows unused", () => {
    // 0.5·11 = 5.5 → 5, 0.25·11 = 2.75 → 2; 4 rows stay unused.
    expect([...splitRows(fractions(["train", 0.5], ["val", 0.25]), 11)]).toEqual([
      ["train", 5],
      ["val", 2],
    ]);
  });

  it("gives the last fraction the rounding remainder when the fractions add up to 1", () => {
    // 0.6·392 = 235.2 → 235, 0.2·392 = 78.4 → 78, test 392 − 235 − 78 = 79.
    expect([...splitRows(fractions(["train", 0.6], ["val", 0.2], ["test", 0.2]), 392)]).toEqual([
      ["train", 235],
      ["val", 78],
      ["test", 79],
    ]);
    // 0.7·333 = 233.1 → 233, 0.15·333 = 49.95 → 49, test 333 − 282 = 51.
    expect([...splitRows(fractions(["train", 0.7], ["val", 0.15], ["test", 0.15]), 333)].map(([, n]) => n)).toEqual([233, 49, 51]);
    // 0.75·40 = 30 exactly: nothing is left over.
    expect([...splitRows(fractions(["train", 0.75], ["test", 0.25]), 40)].map(([, n]) => n)).toEqual([30, 10]);
  });

  it("reads a generated program's plain numbers: below 1 a fraction, otherwise a count", () => {
    expect(writtenSplitSize("val", 0.2)).toEqual({ name: "val", value: 0.2, fraction: true });
    expect(writtenSplitSize("train", 1)).toEqual({ name: "train", value: 1, fraction: false });
    expect(writtenSplitSize("train", 1000)).toEqual({ name: "train", value: 1000, fraction: false });
  });
});
