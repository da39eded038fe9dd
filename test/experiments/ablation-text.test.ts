import { describe, expect, it } from "vitest";
import type { AblationDocument } from "../../src/experiments/ablation/document.js";
import { renderAblationText } from "../../src/experiments/ablation/render-text.js";

/** The first line of an ablation's text says what it ran: the seeds, and the epochs each trial trained when given. */
describe("an ablation's text", () => {
  const document = (epochs: number | undefined) =>
    ({
      spec: "s.reg",
      metric: "test_accuracy",
      higherIsBetter: true,
      seeds: [0, 1],
      ...(epochs !== undefined && { epochs }),
      complete: true,
      arms: [],
      effects: [],
      otherMetrics: [],
      trials: [],
    }) as unknown as AblationDocument;
  const firstLine = (epochs: number | undefined) => renderAblationText(document(epochs), "out", "regc ablate --resume out").split("\n")[0];

  it("names the seeds apart from the epochs, in the singular for one", () => {
    expect(firstLine(2)).toBe("ablation of s.reg: seeds 0, 1; 2 epochs each");
    expect(firstLine(1)).toBe("ablation of s.reg: seeds 0, 1; 1 epoch each");
    expect(firstLine(undefined)).toBe("ablation of s.reg: seeds 0, 1");
  });
});
