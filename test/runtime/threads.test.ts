import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { defaultThreadCount, parseThreadCount } from "../../src/runtime/backend/threads.js";
import { WholeNumberError } from "../../src/shared/whole-number.js";

describe("the thread count", () => {
  it("is every core when nothing sets it, up to the 8 the wasm build can use", () => {
    expect(defaultThreadCount({})).toBe(Math.min(availableParallelism(), 8));
    expect(defaultThreadCount({ REGLANG_THREADS: "" })).toBe(Math.min(availableParallelism(), 8));
  });

  it("is REGLANG_THREADS where set", () => {
    expect(defaultThreadCount({ REGLANG_THREADS: "3" })).toBe(3);
    expect(defaultThreadCount({ REGLANG_THREADS: " 1 " })).toBe(1);
  });

  it("refuses what is not a whole number from 1 to 8, naming where it came from", () => {
    for (const text of ["0", "9", "-1", "2.5", "two", "1e1"]) {
      expect(() => parseThreadCount(text, "--threads")).toThrow(WholeNumberError);
    }
    expect(() => defaultThreadCount({ REGLANG_THREADS: "all" })).toThrow("REGLANG_THREADS needs a whole number from 1 to 8, not `all`");
    expect(parseThreadCount("8", "--threads")).toBe(8);
  });
});
