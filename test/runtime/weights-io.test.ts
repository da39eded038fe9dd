import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { folderHandler, loadTensors, saveTensors } from "../../src/runtime/run/weights-io.js";

beforeAll(async () => {
  await selectBackend("cpu");
});

const temporaryFolder = () => mkdtempSync(join(tmpdir(), "reglang-weights-"));

/** The raw bytes behind a tensor's values: equal bytes mean bit-exact, NaN payloads and -0 included. */
async function bytesOf(tensor: tf.Tensor): Promise<Uint8Array | string[]> {
  const data = await tensor.data();
  if (tensor.dtype === "string") return tensor.arraySync() as unknown as string[];
  const typed = data as Float32Array | Int32Array | Uint8Array;
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

function awkwardFloats(): Float32Array {
  const bits = new Uint32Array([0x7fc00001 /* NaN with a payload */, 0x80000000 /* -0 */, 0x00000001 /* smallest subnormal */]);
  return Float32Array.from([...new Float32Array(bits.buffer), Infinity, -Infinity, 3.4028234663852886e38]);
}

/** Several dtypes and shapes, with names whose order an object would scramble ("10" sorts before "b"). */
function sampleTensors(): Map<string, tf.Tensor> {
  return new Map<string, tf.Tensor>([
    ["dense/kernel", tf.tensor2d(awkwardFloats(), [2, 3])],
    ["10", tf.tensor1d([-2147483648, 2147483647, 0, -1], "int32")],
    ["mask", tf.tensor2d([true, false, false, true], [2, 2], "bool")],
    ["scalar", tf.scalar(0.1)],
    ["empty", tf.zeros([0, 3])],
    ["words", tf.tensor1d(["a", "ünïcödé", ""], "string")],
    ["complex", tf.complex([1.5, -2], [0.25, 3])],
  ]);
}

async function expectSameTensors(actual: Map<string, tf.Tensor>, expected: Map<string, tf.Tensor>): Promise<void> {
  expect(new Set(actual.keys())).toEqual(new Set(expected.keys()));
  for (const [name, tensor] of expected) {
    const loaded = actual.get(name)!;
    expect(loaded.dtype, name).toBe(tensor.dtype);
    expect(loaded.shape, name).toEqual(tensor.shape);
    expect(await bytesOf(loaded), name).toEqual(await bytesOf(tensor));
  }
}

describe("saveTensors / loadTensors", () => {
  it("round-trips every dtype and shape bit for bit, in the saved order, with the extra JSON", async () => {
    const folder = temporaryFolder();
    const tensors = sampleTensors();
    await saveTensors(folder, tensors, { spec: "mnist.reg", classes: [0, 1] });
    const loaded = await loadTensors(folder);
    expect([...loaded.tensors.keys()]).toEqual([...tensors.keys()]);
    await expectSameTensors(loaded.tensors, tensors);
    expect(loaded.extra).toEqual({ spec: "mnist.reg", classes: [0, 1] });
  });

  it("writes a standard tfjs manifest that tf.io.decodeWeights reads", async () => {
    const folder = temporaryFolder();
    const tensors = sampleTensors();
    await saveTensors(folder, tensors);
    const modelJson = JSON.parse(readFileSync(join(folder, "model.json"), "utf8")) as tf.io.ModelJSON;
    expect(modelJson.weightsManifest).toHaveLength(1);
    expect(modelJson.weightsManifest[0]!.paths).toEqual(["weights.bin"]);
    expect(modelJson.weightsManifest[0]!.weights.map(({ name, shape, dtype }) => ({ name, shape, dtype }))).toEqual(
      [...tensors].map(([name, tensor]) => ({ name, shape: tensor.shape, dtype: tensor.dtype })),
    );
    const bin = readFileSync(join(folder, "weights.bin"));
    const decoded = tf.io.decodeWeights(
      bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
      tf.io.getWeightSpecs(modelJson.weightsManifest),
    );
    await expectSameTensors(new Map(Object.entries(decoded)), tensors);
  });

  it("has no extra when none was saved", async () => {
    const folder = temporaryFolder();
    await saveTensors(folder, new Map([["w", tf.ones([2])]]));
    expect((await loadTensors(folder)).extra).toBeUndefined();
  });
});

describe("folderHandler", () => {
  it("saves and reloads a tfjs LayersModel with identical weights and predictions", async () => {
    const folder = temporaryFolder();
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [3], units: 4, activation: "relu" }), tf.layers.dense({ units: 2 })],
    });
    const saved = await model.save(folderHandler(folder));
    expect(saved.modelArtifactsInfo.weightDataBytes).toBe((3 * 4 + 4 + 4 * 2 + 2) * 4);

    const reloaded = await tf.loadLayersModel(folderHandler(folder));
    const originalWeights = model.getWeights();
    const reloadedWeights = reloaded.getWeights();
    expect(reloadedWeights).toHaveLength(originalWeights.length);
    for (const [index, weight] of originalWeights.entries()) {
      expect(await bytesOf(reloadedWeights[index]!)).toEqual(await bytesOf(weight));
    }
    const input = tf.tensor2d([[0.5, -1, 2]]);
    expect(await (reloaded.predict(input) as tf.Tensor).data()).toEqual(await (model.predict(input) as tf.Tensor).data());
  });

  it("refuses a binary topology it could not write as model.json", async () => {
    const save = folderHandler(temporaryFolder()).save!;
    await expect(save({ modelTopology: new ArrayBuffer(4) })).rejects.toThrow("binary (GraphDef) model topology");
  });
});
