import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { dropoutMask, seededDropout } from "../../src/runtime/model/seeded-dropout.js";

describe("seeded dropout", () => {
  it("drops a fraction `rate` of the values, within a binomial 5-sigma band, and scales the rest by 1/(1 − rate)", () => {
    const size = 200_000;
    for (const rate of [0.1, 0.5, 0.8]) {
      const mask = dropoutMask(size, rate, 12345);
      const dropped = mask.filter((value) => value === 0).length;
      expect(Math.abs(dropped - rate * size)).toBeLessThan(5 * Math.sqrt(size * rate * (1 - rate)));
      expect(new Set(mask)).toEqual(new Set([0, Math.fround(1 / (1 - rate))]));
    }
    expect(dropoutMask(1000, 0, 3).every((value) => value === 1)).toBe(true);
    expect(() => dropoutMask(10, 1, 3)).toThrow("rate must lie in [0, 1)");
  });

  it("is a function of its seed: the same mask again, another for another seed, with no pattern between neighbours", () => {
    expect(dropoutMask(4096, 0.5, 7)).toEqual(dropoutMask(4096, 0.5, 7));
    const [first, second] = [dropoutMask(4096, 0.5, 7), dropoutMask(4096, 0.5, 8)];
    const agree = first.filter((value, i) => value === second[i]).length;
    // Two independent masks at rate ½ agree on about half their values.
    expect(Math.abs(agree - 2048)).toBeLessThan(5 * Math.sqrt(4096 / 4));
    const kept = Array.from(first, (value) => (value > 0 ? 1 : 0));
    const pairsAlike = kept.slice(1).filter((value, i) => value === kept[i]).length;
    expect(Math.abs(pairsAlike - 4095 / 2)).toBeLessThan(5 * Math.sqrt(4095 / 4));
  });

  it("gives every backend the same output, the input times the mask, and the mask as its gradient", async () => {
    const x = Array.from({ length: 64 }, (_, i) => i - 20);
    const mask = dropoutMask(64, 0.25, 99);
    const outputs: number[][] = [];
    for (const backend of ["cpu", "wasm"]) {
      await selectBackend(backend);
      const [y, dx] = tf.tidy(() => {
        const input = tf.tensor2d(x, [8, 8]);
        return [
          seededDropout(input, 0.25, 99).dataSync(),
          tf
            .grad((v: tf.Tensor) => tf.sum(seededDropout(v, 0.25, 99)))(input)
            .dataSync(),
        ];
      });
      expect(Array.from(y!)).toEqual(x.map((value, i) => Math.fround(value * mask[i]!)));
      expect(Array.from(dx!)).toEqual(Array.from(mask));
      outputs.push(Array.from(y!));
    }
    expect(outputs[0]).toEqual(outputs[1]);
  });
});
