import { describe, expect, it } from "vitest";
import { describeOutput } from "../src/predict/describe-output.js";
import type { OutputDescription } from "../src/shared/model-metadata.js";

/** Monte-Carlo dropout's passes turned into one prediction: its centre, and the spread of the passes around their own mean. */

const vote = (voteTieBreak: number): OutputDescription => ({ task: "t", kind: "classify", layer: "out", target: "y", values: "votes", shape: [4], labels: ["a", "b"], members: 2, voteTieBreak });

describe("a vote over Monte-Carlo passes", () => {
  // Two members, two classes. Pass 1: both members pick a; pass 2: both pick b.
  const passes = [Float32Array.from([0.9, 0.1, 0.8, 0.2]), Float32Array.from([0.2, 0.8, 0.3, 0.7])];

  it("is centred on the vote of each member's probabilities averaged over the passes", () => {
    // The means: member 1 (0.55, 0.45), member 2 (0.55, 0.45); both vote a. With a tie-break of 0.01:
    // a (2 + 0.01 · 0.55) / 2.01, b (0 + 0.01 · 0.45) / 2.01.
    const prediction = describeOutput(vote(0.01), passes);
    expect(prediction.label).toBe("a");
    expect(prediction.probabilities!.map((p) => p.probability)).toEqual([expect.closeTo(2.0055 / 2.01, 7), expect.closeTo(0.0045 / 2.01, 7)]);
  });

  it("spreads as the passes' vote shares around their own mean, not around the centre", () => {
    // Shares per pass: (1, 0) and (0, 1), whose mean is (0.5, 0.5): each 0.5 from it. Around the centre (1, 0) it would be √0.5.
    expect(describeOutput(vote(0), passes).spread).toEqual([0.5, 0.5]);
  });

  it("has no spread where every pass votes alike", () => {
    const alike = [Float32Array.from([0.9, 0.1, 0.8, 0.2]), Float32Array.from([0.6, 0.4, 0.7, 0.3])];
    expect(describeOutput(vote(0), alike).spread).toEqual([0, 0]);
  });
});

it("spreads probabilities as their standard deviation over the passes", () => {
  const output: OutputDescription = { task: "t", kind: "classify", layer: "out", target: "y", values: "probabilities", shape: [2], labels: ["a", "b"] };
  const prediction = describeOutput(output, [Float32Array.from([0.75, 0.25]), Float32Array.from([0.25, 0.75])]);
  expect(prediction.probabilities!.map((p) => p.probability)).toEqual([0.5, 0.5]);
  expect(prediction.spread).toEqual([0.25, 0.25]);
});
