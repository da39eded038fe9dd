import { Trainer, type RunServices, type TrainingPlan } from "../../src/runtime/train/trainer.js";
import type { FinalMetrics } from "../../src/runtime/run/history.js";

/** The run's side effects (progress, checkpoints, history files) as no-ops, for training inside a test. */
export function quietServices(): RunServices {
  return {
    folder: "(none)",
    progress: { epochStart() {}, step() {}, epochEnd() {}, message() {} },
    interruptRequested: () => false,
    saveCheckpoint: async () => {},
    saveHistory: async () => {},
  };
}

/** Trains a plan to the end, as the generated `main` does, and returns the trainer and its final metrics; `services` replace the quiet ones. */
export async function trainToEnd(plan: TrainingPlan, services: Partial<RunServices> = {}): Promise<{ trainer: Trainer; final: Pick<FinalMetrics, "splits" | "extra"> }> {
  const trainer = new Trainer(plan, { ...quietServices(), ...services });
  for (let epoch = trainer.firstEpoch; epoch <= trainer.epochs; epoch++) {
    await trainer.trainEpoch(epoch);
    if (await trainer.endEpoch(epoch)) break;
  }
  return { trainer, final: await trainer.finish() };
}
