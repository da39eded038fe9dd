import * as tf from "@tensorflow/tfjs";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DataSplit, Dataset } from "../data/dataset.js";
import { bootstrapRows, resampleSplit } from "../ensemble/bootstrap.js";
import { combinePredictions, scoredOutputs } from "../ensemble/combine.js";
import { deriveSeed } from "../random.js";
import type { EpochRecord, FinalMetrics, History, MemberHistory, MemberMetrics, Metrics } from "../run/history.js";
import { ensemblePlan, predictionPlan, type PredictionPlan } from "../export/prediction-plan.js";
import { writeHistory, writeMetrics, writeReport } from "../run/run-folder.js";
import type { BaggingPlan } from "../techniques/bagging.js";
import { ConfusionCounts } from "../train/classification.js";
import { evaluateSplit, reportedSplits } from "../train/evaluate.js";
import type { Model } from "../model/model.js";
import { summarizeModel, type ModelSummary } from "../model/summary.js";
import type { Task } from "../train/tasks.js";
import type { Predict } from "../train/technique.js";
import type { Trainer, TrainingPlan } from "../train/trainer.js";

/** What a member needs from the run around it. */
export interface MemberHost {
  readonly seed: number;
  readonly backend: string;
  readonly spec: string;
  /**
   * Called with each member's plan before it trains. The first call starts
   * the members' training: `--epochs` too few for the plan's techniques is
   * refused there, before any member process starts or any member speaks.
   */
  beginMember(plan: TrainingPlan): void;
  /**
   * Resolves true once a worker process has trained member `index` (the
   * trainer then opens on its finished checkpoint), false when the member
   * trains here; rejects when its process failed or was stopped.
   */
  trainedApart(index: number): Promise<boolean>;
  /** A trainer whose checkpoints and history go to `folder` (resumed from there when continuing a run); its failures name `trained`. */
  openTrainer(plan: TrainingPlan, folder: string, trained: string, onHistory: (epochs: readonly EpochRecord[], stopped: string | undefined) => void): Promise<Trainer>;
  message(text: string): void;
  /** Records a member's progress in the ensemble's own history. */
  memberProgress(history: MemberHistory): void;
  /** Saves `folder/model/`, as a stock TensorFlow.js model when it can be one. */
  saveModel(folder: string, models: readonly Model[], plan: () => PredictionPlan, data: Dataset, tasks: readonly Task[]): Promise<void>;
  /** Saves the weights techniques keep (snapshots) under `folder`. */
  saveKept(folder: string, kept: ReadonlyMap<string, ReadonlyMap<string, tf.Tensor>>): Promise<void>;
}

/**
 * Bagging's members: each with its own seed (so its own initial weights,
 * shuffles and masks) and its own bootstrap resample of the training
 * split; validation and test splits are shared. Each member keeps a
 * sub-folder of the run (`member-1/`, …) with its checkpoint, history,
 * weights, metrics and report. A process that trains one member alone
 * (a worker) has just that one in `members`.
 */
export class Ensemble {
  readonly members: readonly EnsembleMember[];

  constructor(
    readonly plan: BaggingPlan,
    readonly data: Dataset,
    host: MemberHost,
    runFolder: string,
    /** The members (1-based) this process trains or combines: all of them but in a worker. */
    indices: readonly number[] = Array.from({ length: plan.members }, (_, i) => i + 1),
  ) {
    const train = data.splits.train;
    if (!train) throw new Error(`${plan.label}: data ${data.name} has no train split to resample`);
    this.members = indices.map((index) => new EnsembleMember(index, plan.members, data, train, host, join(runFolder, `member-${index}`)));
  }

  /** Every member's prediction, combined as the plan says (`average` or `vote`). */
  predictor(): Predict {
    const outputs = scoredOutputs(this.tasks());
    const predictors = this.members.map((member) => member.predictor());
    return (x) => combinePredictions(predictors.map((predict) => predict(x)), outputs, this.plan.combine);
  }

  /** The combined prediction's metrics on every reported split, and each member's on the same splits. */
  finalMetrics(): Pick<FinalMetrics, "splits" | "classification"> & { members: MemberMetrics[] } {
    const predict = this.predictor();
    const splits: Record<string, Metrics> = {};
    const confusion = new ConfusionCounts(this.data, "test");
    for (const [name, split] of reportedSplits(this.data, this.tasks())) {
      splits[name] = evaluateSplit(predict, this.data, split, this.tasks(), name === "test" ? confusion : undefined);
    }
    const classification = confusion.results(this.tasks());
    return { splits, ...(Object.keys(classification).length > 0 && { classification }), members: this.members.map((member) => member.metrics()) };
  }

  /** The members' architecture, which they share. */
  modelSummary(): ModelSummary {
    return summarizeModel(this.members[0]!.model());
  }

  tasks(): readonly Task[] {
    return this.members[0]!.tasks();
  }

  /** The epochs the members trained to (`--epochs`, or the spec's): what a resume with more epochs trains them on from. */
  epochs(): number {
    return Math.max(...this.members.map((member) => member.epochs()));
  }

  /** The trained members' models. */
  models(): Model[] {
    return this.members.map((member) => member.model());
  }

  /** What an export of the whole ensemble computes: every member's prediction, combined as the clause says. */
  exportPlan(): PredictionPlan {
    return ensemblePlan(this.members.map((member) => member.exportPlan()), this.plan.combine);
  }

  /** Frees the members' resampled splits and models. */
  dispose(): void {
    for (const member of this.members) member.dispose();
  }
}

export class EnsembleMember {
  readonly name: string;
  /** Seeds this member's initial weights and training randomness. */
  readonly seed: number;
  /** The run's data with `train` replaced by this member's bootstrap resample. */
  readonly data: Dataset;
  private trained: { trainer: Trainer; metrics: MemberMetrics } | undefined;
  private readonly resampled: DataSplit;
  private readonly distinctRows: number;
  /** Trained by a worker process, which said what a member says. */
  private trainedApart = false;

  constructor(
    readonly index: number,
    private readonly count: number,
    private readonly original: Dataset,
    train: DataSplit,
    private readonly host: MemberHost,
    readonly folder: string,
  ) {
    this.name = `member-${index}`;
    this.seed = deriveSeed(host.seed, "bagging member", index);
    const rows = bootstrapRows(train.rows, deriveSeed(host.seed, "bootstrap", index));
    this.resampled = resampleSplit(train, rows);
    this.distinctRows = new Set(rows).size;
    this.data = { ...original, splits: { ...original.splits, train: this.resampled } };
  }

  /** The training loop's body for this member, resumed from its own checkpoint when continuing a run. */
  async trainer(plan: TrainingPlan): Promise<Trainer> {
    this.host.beginMember(plan);
    this.trainedApart = await this.host.trainedApart(this.index);
    // Its history is written even when the loss diverges before the first checkpoint makes the folder.
    mkdirSync(this.folder, { recursive: true });
    if (!this.trainedApart) {
      this.host.message(
        `${this.name} of ${this.count}: a bootstrap resample of train (${this.resampled.rows} rows drawn with replacement, ${this.distinctRows} distinct), seed ${this.seed}`,
      );
    }
    return this.host.openTrainer(plan, this.folder, `${this.name} of ${this.count}`, (epochs, stopped) => this.recordHistory(epochs, stopped));
  }

  /**
   * Ends the member's training (best weights restored, as its techniques
   * say), measures it on the run's own splits, so members and ensemble
   * are compared on the same rows, and keeps its weights.
   */
  async finish(trainer: Trainer): Promise<void> {
    const { extra, classification, kept } = await trainer.finish();
    // Again here: a member that had finished before an interrupted run was resumed trains no epoch, yet belongs in the history.
    const history = this.recordHistory(trainer.history, trainer.stopped);
    const predict = trainer.predictor();
    const splits: Record<string, Metrics> = {};
    for (const [name, split] of reportedSplits(this.original, trainer.tasks)) splits[name] = evaluateSplit(predict, this.original, split, trainer.tasks);
    const metrics: MemberMetrics = { name: this.name, splits, ...(extra && { extra }) };
    this.trained = { trainer, metrics };
    await this.host.saveModel(this.folder, [trainer.model], () => this.exportPlan(), this.original, trainer.tasks);
    await this.host.saveKept(this.folder, kept);
    const final: FinalMetrics = { spec: this.host.spec, backend: this.host.backend, splits, ...(extra && { extra }), ...(classification && { classification }) };
    writeMetrics(this.folder, final);
    writeReport(this.folder, history, final, { title: `${this.host.spec} — ${this.name} of ${this.count}`, model: summarizeModel(trainer.model) });
    const shown = splits["test"] ? "test" : Object.keys(splits).pop();
    if (shown && !this.trainedApart) this.host.message(`${this.name} ${shown}: ${describe(splits[shown]!)}`);
  }

  predictor(): Predict {
    return this.finished().trainer.predictor();
  }

  model(): Model {
    return this.finished().trainer.model;
  }

  epochs(): number {
    return this.finished().trainer.epochs;
  }

  exportPlan(): PredictionPlan {
    const { trainer } = this.finished();
    return predictionPlan(trainer.model, trainer.techniques);
  }

  tasks(): readonly Task[] {
    return this.finished().trainer.tasks;
  }

  metrics(): MemberMetrics {
    return this.finished().metrics;
  }

  dispose(): void {
    tf.dispose([this.resampled.x, ...Object.values(this.resampled.targets)]);
    this.trained?.trainer.model.dispose();
  }

  /** The member's epochs, in its own history.json and in the run's. */
  private recordHistory(epochs: readonly EpochRecord[], stopped: string | undefined): History {
    const history: History = { spec: this.host.spec, backend: this.host.backend, seed: this.seed, epochs: [...epochs], ...(stopped && { stopped }) };
    writeHistory(this.folder, history);
    const member: MemberHistory = { name: this.name, seed: this.seed, epochs: history.epochs, ...(stopped && { stopped }) };
    this.host.memberProgress(member);
    return history;
  }

  private finished(): { trainer: Trainer; metrics: MemberMetrics } {
    if (!this.trained) throw new Error(`${this.name} has not been trained: call member.finish(trainer) after its epochs`);
    return this.trained;
  }
}

function describe(metrics: Metrics): string {
  return Object.entries(metrics).map(([name, value]) => `${name} ${value.toPrecision(4)}`).join("  ");
}
