import * as tf from "@tensorflow/tfjs";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { WeightsFileError } from "../../runtime/run/manifest-weights.js";
import { folderHandler } from "../../runtime/run/weights-io.js";
import { InputError } from "../input-error.js";
import { Predictor } from "../predictor.js";

/**
 * The folder holding `model.json`: an export folder (or a `model/` folder)
 * itself, a run folder's `model/`, or the folder of a `model.json` named
 * directly, as a page names it by URL.
 */
export function modelFolder(path: string): string {
  if (basename(path) === "model.json" && existsSync(path)) return dirname(path);
  for (const folder of [path, join(path, "model")]) {
    if (existsSync(join(folder, "model.json"))) return folder;
  }
  // A run folder without its model: a run stopped before it finished, which saves the model last.
  if (existsSync(join(path, "run.json"))) {
    throw new InputError(`${path} is a run that has not finished, so it holds no trained model yet: continue it with \`regc run --resume ${path}\`, then predict with it`);
  }
  throw new InputError(`${path} holds no model.json, nor model/model.json: give a run folder (regc run), an export folder (regc export) or its model.json`);
}

/**
 * The predictor of a run or export folder. A model saved as weights only
 * (one no stock TensorFlow.js model can carry) is refused with the reason
 * it was saved that way; weights missing, cut short or left a Git LFS
 * pointer, with the file.
 */
export async function loadModelFolder(path: string): Promise<Predictor> {
  const folder = modelFolder(path);
  let json: { modelTopology?: unknown; userDefinedMetadata?: { extra?: { notExportable?: string } } };
  try {
    json = JSON.parse(readFileSync(join(folder, "model.json"), "utf8")) as typeof json;
  } catch (error) {
    throw new InputError(`cannot read ${join(folder, "model.json")}: ${(error as Error).message}`);
  }
  if (json.modelTopology === undefined) {
    const reason = json.userDefinedMetadata?.extra?.notExportable;
    throw new InputError(`${join(folder, "model.json")} holds weights only, not a TensorFlow.js model${reason ? `: ${reason}` : ""}`);
  }
  try {
    return new Predictor(await tf.loadLayersModel(folderHandler(folder)));
  } catch (error) {
    if (error instanceof WeightsFileError) throw new InputError(error.message);
    throw error;
  }
}
