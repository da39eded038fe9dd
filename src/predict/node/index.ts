/**
 * `reglang/predict` in Node: the same predictor, loading from a run or
 * export folder on disk (TensorFlow.js needs a native binding to read
 * `file://` URLs; this reads the files itself).
 */
import * as tf from "@tensorflow/tfjs";
import { skipCpuGreeting } from "../../runtime/backend/cpu-greeting.js";
import { InputError } from "../input-error.js";
import { Predictor } from "../predictor.js";
import { loadModelFolder } from "./model-folder.js";

export { Predictor, readMetadata, InputError, readCsvTable, type CsvTable, type ExamplePrediction, type TaskPrediction, type RawImage, type RawRow, type Namer } from "../index.js";
export type { ModelMetadata, InputDescription, OutputDescription, SamplingDescription } from "../index.js";

/**
 * Loads a run folder's model, an export folder, the path of its
 * `model.json`, or any TensorFlow.js IO handler. A URL is refused: this
 * reads files, and the page's build of `reglang/predict` fetches.
 */
export async function loadPredictor(source: string | tf.io.IOHandler): Promise<Predictor> {
  if (typeof source === "string" && /^[a-z][a-z\d+.-]*:\/\//i.test(source)) {
    throw new InputError(`${source} is a URL, which reglang/predict loads in a page; in Node, give the path of a run or export folder, or of its model.json`);
  }
  await tf.ready();
  skipCpuGreeting(tf);
  return typeof source === "string" ? loadModelFolder(source) : new Predictor(await tf.loadLayersModel(source));
}
