/**
 * `reglang/predict`: predictions from a model `regc run` trained or
 * `regc export` wrote, in a page or in Node. Browser-safe: it imports
 * TensorFlow.js and nothing of Node.
 */
import * as tf from "@tensorflow/tfjs";
import { Predictor } from "./predictor.js";
import { urlHandler } from "./url-handler.js";

export { Predictor, readMetadata, type ExamplePrediction, type TaskPrediction } from "./predictor.js";
export { InputError } from "./input-error.js";
export { readCsvTable, type CsvTable } from "./csv-table.js";
export type { RawImage, RawRow, Namer } from "./preprocess.js";
export type { ModelMetadata, InputDescription, OutputDescription, SamplingDescription } from "../shared/model-metadata.js";

/**
 * Loads an exported model by URL — its folder (`model/`) or its
 * `model.json`, relative URLs from the page's — or from any TensorFlow.js
 * IO handler. A file the server does not give (a 404 page) or weights of
 * another size than `model.json` lists are an InputError naming the URL.
 */
export async function loadPredictor(source: string | tf.io.IOHandler): Promise<Predictor> {
  if (typeof source !== "string") return new Predictor(await tf.loadLayersModel(source));
  const page = (globalThis as { location?: { href: string } }).location?.href;
  const url = new URL(source.endsWith(".json") ? source : `${source.replace(/\/?$/, "/")}model.json`, page);
  return new Predictor(await tf.loadLayersModel(urlHandler(url)));
}
