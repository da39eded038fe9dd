import * as tf from "@tensorflow/tfjs";

/**
 * A weights file a model.json lists that is missing, cut short or not
 * weights at all; the message names the file and what it should hold.
 */
export class WeightsFileError extends Error {
  override readonly name = "WeightsFileError";
}

/** Bytes per value as stored: a quantized weight's stored type, else its own; a string has no fixed size. */
const STORED_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** What a Git LFS pointer file starts with, where a clone without LFS leaves the pointer instead of the file. */
const LFS_POINTER = "version https://git-lfs";

/**
 * The weights a model.json's manifest lists, as `tf.io.getModelArtifactsForJSON`
 * asks for them: each file read by `read` (its path as the manifest writes it,
 * relative to model.json) and named by `name` in messages. Each group's files
 * must hold the bytes its weights take; tfjs would otherwise read a short
 * file, or an error page, as weights.
 */
export async function readManifestWeights(
  manifest: tf.io.WeightsManifestConfig,
  read: (path: string) => Promise<ArrayBuffer>,
  name: (path: string) => string,
): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer]> {
  const buffers: ArrayBuffer[] = [];
  for (const group of manifest) {
    const files = await Promise.all(group.paths.map(read));
    const first = files[0];
    if (first !== undefined && new TextDecoder().decode(first.slice(0, LFS_POINTER.length)) === LFS_POINTER) {
      throw new WeightsFileError(`${name(group.paths[0]!)} is a Git LFS pointer, not the weights: fetch the file itself (\`git lfs pull\`) and try again`);
    }
    const held = files.reduce((sum, file) => sum + file.byteLength, 0);
    const expected = storedBytes(group.weights);
    if (expected !== undefined && held !== expected) {
      const holds = group.paths.length === 1 ? `${name(group.paths[0]!)} holds` : `${group.paths.map(name).join(", ")} hold together`;
      throw new WeightsFileError(`${holds} ${held} bytes, model.json's weights manifest lists ${expected}: the weights are cut short or belong to another model; copy model.json and its weights again from one export, or export the run again`);
    }
    buffers.push(...files);
  }
  return [tf.io.getWeightSpecs(manifest), tf.io.CompositeArrayBuffer.join(buffers)];
}

/** The bytes a group's weights take, or undefined where a string weight's size is its own. */
function storedBytes(weights: readonly tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const weight of weights) {
    const bytes = STORED_BYTES[weight.quantization?.dtype ?? weight.dtype];
    if (bytes === undefined) return undefined;
    total += bytes * weight.shape.reduce((count, size) => count * size, 1);
  }
  return total;
}
