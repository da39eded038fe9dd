/**
 * `reglang/predict` in Node: the same predictor, loading from a run or
 * export folder on disk (TensorFlow.js needs a native binding to read
 * `file://` URLs; this reads the files itself).
 */
import * as tf from "@tensorflow/tfjs";
import { Predictor } from "../predictor.js";
import { loadModelFolder } from "./model-folder.js";

export { Predictor, readMetadata, InputError, readCsvTable, type CsvTable, type ExamplePrediction, type TaskPrediction, type RawImage, type RawRow, type Namer } from "../index.js";
export type { ModelMetadata, InputDescription, OutputDescription, SamplingDescription } from "../index.js";

/** Loads a run folder's model, an export folder, the path of its `model.json`, or any TensorFlow.js IO handler. */
export async function loadPredictor(source: string | tf.io.IOHandler): Promise<Predictor> {
  return typeof source === "string" ? loadModelFolder(source) : new Predictor(await tf.loadLayersModel(source));
}
