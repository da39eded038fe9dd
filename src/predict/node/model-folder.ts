import * as tf from "@tensorflow/tfjs";
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { WeightsFileError } from "../../runtime/run/manifest-weights.js";
import { folderHandler } from "../../runtime/run/weights-io.js";
import { InputError } from "../input-error.js";
import { Predictor } from "../predictor.js";

/** What the user goes on to do with a model: to say so where a run has not finished. */
export type ModelUse = "predict" | "export";

const GIVE_MODEL = "give a run folder (regc run), an export folder (regc export) or its model.json";

/**
 * The folder holding `model.json`: an export folder (or a `model/` folder)
 * itself, a run folder's `model/`, or the folder of a `model.json` named
 * directly, as a page names it by URL.
 */
export function modelFolder(path: string, use: ModelUse = "predict"): string {
  if (!existsSync(path)) throw new InputError(`${path} does not exist: ${GIVE_MODEL}`);
  if (basename(path) === "model.json") return dirname(path);
  for (const folder of [path, join(path, "model")]) {
    if (existsSync(join(folder, "model.json"))) return folder;
  }
  // A run folder without its model: a run stopped before it finished, which saves the model last.
  if (existsSync(join(path, "run.json"))) {
    throw new InputError(`${path} is a run that has not finished, so it holds no trained model yet: continue it with \`regc run --resume ${path}\`, then ${use === "export" ? "export it" : "predict with it"}`);
  }
  throw new InputError(`${path} holds no model.json, nor model/model.json: ${GIVE_MODEL}`);
}

/** Whether `path` is the folder of a model, a run's or an export's: given where the rows to predict should be, a second model by mistake. */
export function isModelFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true && ["model.json", join("model", "model.json"), "run.json"].some((file) => existsSync(join(path, file)));
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
