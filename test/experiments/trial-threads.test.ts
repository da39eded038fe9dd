import { describe, expect, it } from "vitest";
import { threadsPerTrial } from "../../src/experiments/trial-threads.js";

describe("threadsPerTrial", () => {
  it("gives each of as many trials as cores one thread", () => {
    expect(threadsPerTrial(2, 2)).toBe(1);
    expect(threadsPerTrial(16, 16)).toBe(1);
  });

  it("gives one thread each when trials outnumber the cores", () => {
    expect(threadsPerTrial(5, 2)).toBe(1);
  });

  it("shares spare cores out, whole threads only, up to the most wasm uses", () => {
    expect(threadsPerTrial(1, 2)).toBe(2);
    expect(threadsPerTrial(2, 16)).toBe(8);
    expect(threadsPerTrial(3, 16)).toBe(5);
    expect(threadsPerTrial(1, 64)).toBe(8);
  });
});
