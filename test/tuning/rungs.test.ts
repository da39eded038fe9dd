import { describe, expect, it } from "vitest";
import { firstRungEpochs, lastRungUnreached, rungEpochs } from "../../src/compiler/tuning/rungs.js";

describe("halving's rungs", () => {
  it("start at min_epochs, else the epochs over η²", () => {
    expect(firstRungEpochs({ reduction: 3 }, 60)).toBe(6);
    expect(firstRungEpochs({ reduction: 3, minEpochs: 2 }, 60)).toBe(2);
    expect(rungEpochs(1, 9, 3)).toEqual([1, 3, 9]);
  });

  it("reach the last rung only with η^(rungs − 1) trials or more, saying how far fewer get", () => {
    // Rungs of 1, 3, 9 and 27 epochs with η = 3: ⌊t/3⌋ trials reach the second, ⌊t/9⌋ the third, ⌊t/27⌋ the last.
    const rungs = [1, 3, 9, 27];
    expect(lastRungUnreached(27, rungs, 3)).toBeUndefined();
    expect(lastRungUnreached(26, rungs, 3)?.detail).toBe("halving promotes one trial in 3 to each next rung, so of 26 trials none reaches the last rung's 27 epochs: the best train 9 epochs");
    expect(lastRungUnreached(8, rungs, 3)?.detail).toMatch(/: the best train 3 epochs$/);
    expect(lastRungUnreached(2, rungs, 3)?.detail).toMatch(/: each trains only its first rung's 1 epoch$/);
    expect(lastRungUnreached(1, [10], 3)).toBeUndefined();
  });
});
