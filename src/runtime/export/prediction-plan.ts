import type * as tf from "@tensorflow/tfjs";
import type { Combine } from "../ensemble/combine.js";
import type { Model } from "../model/model.js";
import type { Technique } from "../train/technique.js";

/** Why a trained model cannot become a stock TensorFlow.js model; the message names the clause or layer. */
export class ExportError extends Error {
  override readonly name = "ExportError";
}

/** One model of what is exported, with the weight sets its prediction averages (snapshots); `undefined`: its own variables. */
export interface ExportedMember {
  model: Model;
  sets: ReadonlyArray<ReadonlyMap<string, tf.Tensor> | undefined>;
}

/** Everything the exported model computes: members combined, and the passes prediction takes. */
export interface PredictionPlan {
  members: readonly ExportedMember[];
  /** How members combine (bagging); one member: ignored. */
  combine: Combine;
  sampling?: { technique: string; samples: number };
}

/**
 * The plan for one trained model and its techniques: each technique that
 * changes prediction must say how an export reproduces it, or the export
 * refuses, naming the clause.
 */
export function predictionPlan(model: Model, techniques: readonly Technique[]): PredictionPlan {
  let sets: ExportedMember["sets"] = [undefined];
  let sampling: PredictionPlan["sampling"];
  for (const technique of techniques) {
    if (!technique.wrapPrediction) continue;
    const exported = technique.exportedPrediction?.();
    if (!exported) throw new ExportError(`\`${technique.label}\` changes how the model predicts in a way no stock TensorFlow.js model can carry`);
    if (exported.kind === "sampling") sampling = { technique: technique.label, samples: exported.samples };
    else if (exported.sets.length > 0) sets = exported.sets;
  }
  return { members: [{ model, sets }], combine: "average", ...(sampling && { sampling }) };
}

/** Bagging: the members' own plans, combined as the clause says. */
export function ensemblePlan(members: readonly PredictionPlan[], combine: Combine): PredictionPlan {
  const sampling = members.find((member) => member.sampling)?.sampling;
  return { members: members.flatMap((member) => member.members), combine, ...(sampling && { sampling }) };
}
