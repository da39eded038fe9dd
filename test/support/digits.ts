import type { Dataset } from "../../src/runtime/data/dataset.js";
import { loadData } from "../../src/runtime/data/load.js";

/** Real MNIST digits as 28×28×1 images with a 10-class `label`, in the splits asked for. */
export function loadDigits(split: Readonly<Record<string, number>>, seed: number): Promise<Dataset> {
  return loadData({
    name: "digits",
    source: { kind: "mnist" },
    imageShape: [28, 28, 1],
    targets: [{ name: "label", kind: "class", classes: 10 }],
    split,
    seed,
  });
}
