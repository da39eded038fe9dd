import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { METADATA_VERSION, type ModelMetadata } from "../../shared/model-metadata.js";
import type { Dataset } from "../data/dataset.js";
import type { Model } from "../model/model.js";
import { folderHandler, saveTensors } from "../run/weights-io.js";
import { inputIdRows } from "../train/input-ids.js";
import type { Task } from "../train/tasks.js";
import { ExportError, type PredictionPlan } from "./prediction-plan.js";
import { buildStandardModel } from "./standard-model.js";

/** The folder of a run (or member, or pretrained model) that holds its model. */
export const MODEL_FOLDER = "model";

/** What a saved model is for: the spec it came from, its data and tasks. */
export interface ModelSource {
  spec: string;
  data: Dataset;
  tasks: readonly Task[];
}

/** Either the model was saved as a stock LayersModel, or why not (its weights are saved alone). */
export type SavedModel = { standard: true } | { standard: false; reason: string };

/**
 * Saves `FOLDER/model/` as a stock TensorFlow.js LayersModel (`model.json`
 * with its topology and weights manifest, `weights.bin`), with what
 * inference needs in `userDefinedMetadata.reglang`. A model that cannot be
 * exported (`makePlan` or a layer throws an ExportError) keeps its
 * `models`' weights by key, and the reason, in the same files.
 */
export async function saveModelFolder(folder: string, models: readonly Model[], makePlan: () => PredictionPlan, source: ModelSource): Promise<SavedModel> {
  const target = join(folder, MODEL_FOLDER);
  let plan: PredictionPlan;
  let built: ReturnType<typeof buildStandardModel>;
  try {
    plan = makePlan();
    built = buildStandardModel(plan, source.tasks, (task) => classLabels(source.data, task));
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    const weights = new Map(models.flatMap((model, m) => [...model.params, ...model.state].map(([key, value]) => [models.length > 1 ? `m${m + 1}_${key}` : key, value] as const)));
    await saveTensors(target, weights, { notExportable: error.message });
    return { standard: false, reason: error.message };
  }
  const { model, outputs, dropoutLayers, renamed } = built;
  // A prediction must refuse what no table row answers, as training does.
  const idRows = plan.members.map((member) => inputIdRows(member.model)).filter((rows) => rows !== undefined);
  const ids = idRows.length > 0 ? Math.min(...idRows) : undefined;
  try {
    const metadata: ModelMetadata = {
      version: METADATA_VERSION,
      spec: source.spec,
      model: plan.members[0]!.model.name,
      input: { ...source.data.preprocessing, ...(ids !== undefined && { ids }) },
      outputs,
      ...(plan.sampling && Object.keys(dropoutLayers).length > 0 && { sampling: { ...plan.sampling, dropoutLayers } }),
      ...(Object.keys(renamed).length > 0 && { renamed }),
    };
    model.setUserDefinedMetadata({ reglang: metadata });
    await model.save(folderHandler(target));
  } finally {
    model.dispose();
  }
  return { standard: true };
}

/** A classification task's labels in output order: the data's own names, or the class indices. */
function classLabels(data: Dataset, task: Task): string[] | undefined {
  if (task.kind !== "classify") return undefined;
  const target = data.targets[task.target];
  if (!target?.classes) return undefined;
  return Array.from({ length: target.classes }, (_, k) => target.classNames?.[k] ?? String(k));
}
