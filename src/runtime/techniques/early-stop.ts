import * as tf from "@tensorflow/tfjs";
import { higherIsBetter, parseMetricName, splitMetricName } from "../../shared/metric-names.js";
import type { Model } from "../model/model.js";
import type { EpochRecord } from "../run/history.js";
import type { SecondPhase, Technique, TechniqueState } from "../train/technique.js";

export interface EarlyStopOptions {
  /** `SPLIT_METRIC`: `val_loss`, `val_accuracy`, `val_TASK_METRIC`, `train_loss`. */
  monitor: string;
  patience: number;
  minDelta: number;
  restoreBest: boolean;
  then: "none" | "retrain_all" | "continue_all";
}

interface Progress {
  best: number | null;
  bestEpoch: number;
  wait: number;
}

/**
 * §7.8, the book's algorithm 7.1: stop once `monitor` has not improved by
 * more than `minDelta` for `patience` epochs and return the best epoch's
 * parameters; `then` adds algorithm 7.2 or 7.3 on train + val.
 */
export function earlyStop(options: EarlyStopOptions): Technique {
  const { monitor, patience, minDelta, restoreBest, then } = options;
  const { split, key: metric } = parseMetricName(monitor) ?? { split: undefined, key: monitor };
  // Losses and errors go down; accuracy goes up.
  const sign = higherIsBetter(metric) ? -1 : 1;
  let progress: Progress = { best: null, bestEpoch: 0, wait: 0 };
  let bestWeights = new Map<string, tf.Tensor>();

  const valueOf = (record: EpochRecord): number => {
    const metrics = split === "train" ? record.train : split === "val" ? record.val : undefined;
    const value = metrics?.[metric];
    if (value === undefined) {
      throw new Error(`early_stop: the run reports no \`${monitor}\` (it reports ${describe(record)}); monitor a train_ or val_ metric`);
    }
    return value;
  };

  const keepBest = (model: Model) => {
    tf.dispose([...bestWeights.values()]);
    bestWeights = new Map([...model.params, ...model.state].map(([name, variable]) => [name, tf.clone(variable)]));
  };

  return {
    label: `early_stop(monitor: ${monitor}, patience: ${patience})`,
    epochEnd(record, model, control) {
      const value = valueOf(record);
      if (progress.best === null || sign * (progress.best - value) > minDelta) {
        progress = { best: value, bestEpoch: record.epoch, wait: 0 };
        if (restoreBest) keepBest(model);
        return;
      }
      progress.wait++;
      if (progress.wait >= patience) {
        control.stop(`early_stop: ${monitor} has not improved for ${patience} epochs; best ${progress.best.toPrecision(4)} at epoch ${progress.bestEpoch}`);
      }
    },
    trainingEnd(model): SecondPhase | void {
      if (restoreBest && bestWeights.size > 0) {
        for (const [name, value] of bestWeights) (model.params.get(name) ?? model.state.get(name))?.assign(value);
      }
      if (then === "retrain_all") return { kind: "retrain_all", epochs: Math.max(1, progress.bestEpoch) };
      if (then === "continue_all") return { kind: "continue_all", maxEpochs: Math.max(1, progress.bestEpoch) };
    },
    saveState: (): TechniqueState => ({ values: { ...progress }, tensors: bestWeights }),
    loadState(state) {
      progress = { ...(state.values as Progress) };
      bestWeights = new Map([...(state.tensors ?? [])].map(([name, tensor]) => [name, tf.clone(tensor)]));
    },
  };
}

function describe(record: EpochRecord): string {
  const names = [...Object.keys(record.train).map((m) => splitMetricName("train", m)), ...Object.keys(record.val ?? {}).map((m) => splitMetricName("val", m))];
  return names.map((name) => `\`${name}\``).join(", ");
}
