import { createHash } from "node:crypto";
import type { Dataset } from "./dataset.js";

/**
 * A SHA-256 over every split's inputs and targets as loaded (after
 * normalization and the `missing` policy), splits and targets in name
 * order: what a resumed run compares, so that a data file changed since
 * the run started is noticed however it changed (rows, labels, scale).
 */
export function datasetFingerprint(data: Dataset): string {
  const hash = createHash("sha256");
  for (const name of Object.keys(data.splits).sort()) {
    const split = data.splits[name]!;
    hash.update(`${name}:${split.x.shape.join("x")}:`);
    hash.update(bytesOf(split.x.dataSync()));
    for (const target of Object.keys(split.targets).sort()) {
      hash.update(`${target}:${split.targets[target]!.shape.join("x")}:`);
      hash.update(bytesOf(split.targets[target]!.dataSync()));
    }
  }
  return hash.digest("hex");
}

function bytesOf(values: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}
