import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describeIoError } from "../../shared/describe-io-error.js";
import { makeFolders } from "../../shared/make-folders.js";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import { readManifestWeights, WeightsFileError } from "./manifest-weights.js";

/**
 * Model artifacts in a folder, in the layout tfjs-node's `file://` handler
 * writes (`model.json` + `weights.bin`); that handler needs the native
 * binding, which often cannot install, so this one is plain Node.
 */

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";

/** `model.save(folderHandler(dir))`, `tf.loadLayersModel(folderHandler(dir))`. */
export function folderHandler(folder: string): tf.io.IOHandler {
  return {
    save: async (artifacts) => saveArtifacts(folder, artifacts),
    load: async () => loadArtifacts(folder),
  };
}

function saveArtifacts(folder: string, artifacts: tf.io.ModelArtifacts): tf.io.SaveResult {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error("a binary (GraphDef) model topology cannot be saved to a folder; only JSON topologies can");
  }
  makeFolders(folder);
  const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []);
  // Weights first: once model.json exists, the weights it describes do too.
  writeFileAtomically(join(folder, WEIGHTS_BIN), new Uint8Array(weightData));
  const modelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    trainingConfig: artifacts.trainingConfig,
    signature: artifacts.signature,
    userDefinedMetadata: artifacts.userDefinedMetadata,
    modelInitializer: artifacts.modelInitializer,
    initializerSignature: artifacts.initializerSignature,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
  } satisfies Partial<tf.io.ModelJSON>;
  writeFileAtomically(join(folder, MODEL_JSON), `${JSON.stringify(modelJson)}\n`);
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

async function loadArtifacts(folder: string): Promise<tf.io.ModelArtifacts> {
  const modelJson = JSON.parse(readFileSync(join(folder, MODEL_JSON), "utf8")) as tf.io.ModelJSON;
  return tf.io.getModelArtifactsForJSON(modelJson, (manifest) =>
    readManifestWeights(manifest, async (path) => readArrayBuffer(join(folder, path)), (path) => join(folder, path)),
  );
}

function readArrayBuffer(path: string): ArrayBuffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new WeightsFileError(`cannot read ${path}: ${describeIoError(error)}`);
  }
  // A Buffer may be a view into a larger shared ArrayBuffer: copy out just its bytes.
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Named tensors stored as a weights-only model folder, with any JSON beside them. */
export interface StoredTensors {
  /** In the order they were saved. The caller owns (and disposes) them. */
  tensors: Map<string, tf.Tensor>;
  extra: unknown;
}

/** Saves tensors (and `extra`, any JSON) to a folder that `loadTensors` reads back bit for bit. */
export async function saveTensors(folder: string, tensors: ReadonlyMap<string, tf.Tensor>, extra?: object): Promise<void> {
  const named = [...tensors].map(([name, tensor]) => ({ name, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  await folderHandler(folder).save!({
    weightSpecs: specs,
    weightData: data,
    generatedBy: "reglang",
    ...(extra === undefined ? {} : { userDefinedMetadata: { extra } }),
  });
}

export async function loadTensors(folder: string): Promise<StoredTensors> {
  const artifacts = await folderHandler(folder).load!();
  const specs = artifacts.weightSpecs ?? [];
  const decoded = tf.io.decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), specs);
  // Rebuilt from the specs: an object's integer-like keys would come out first, not in saved order.
  const tensors = new Map(specs.map((spec) => [spec.name, decoded[spec.name]!]));
  return { tensors, extra: artifacts.userDefinedMetadata?.["extra"] };
}
