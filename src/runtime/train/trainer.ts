import * as tf from "@tensorflow/tfjs";
import type { DataSplit, Dataset } from "../data/dataset.js";
import type { Model } from "../model/model.js";
import type { ReplicaGroup } from "../parallel/replica-group.js";
import { deriveSeed, permutation } from "../random.js";
import type { NamedTensor } from "../run/checkpoint.js";
import { RunFolderError } from "../run/run-folder-error.js";
import type { EpochRecord, FinalMetrics, Metrics } from "../run/history.js";
import { batchIndices, cyclingBatch, disposeBatch, gatherBatch, mergeSplits, stepsOverLargest, usedSplit, usedSplitBatches } from "./batches.js";
import { ConfusionCounts } from "./classification.js";
import { evaluateSplit, finishMetrics, reportedSplits } from "./evaluate.js";
import { diverged, interrupted, TrainingStopped } from "./faults.js";
import { refuseEarlierEnd, refuseFewerEpochsThanCounted } from "./earlier-end.js";
import { setLearningRate, type OptimizerDef } from "./optimizers.js";
import type { Schedule } from "./schedules.js";
import { replicatedStep } from "./replicated-step.js";
import { trainStep, type StepResult, type StepSetup } from "./step.js";
import type { Task } from "./tasks.js";
import type { Predict, SecondPhase, StepInfo, Technique, TechniqueState } from "./technique.js";
import { checkInputIds } from "./input-ids.js";

/** Everything the generated code declares about training. */
export interface TrainingPlan {
  model: Model;
  data: Dataset;
  tasks: readonly Task[];
  techniques: readonly Technique[];
  optimizer: OptimizerDef;
  schedule: Schedule;
  epochs: number;
  batch: number;
  seed: number;
  /** `steps_per_epoch`: steps in every epoch, drawn from a cycling walk over the training rows. */
  stepsPerEpoch?: number;
  clipNorm?: number;
}

/** What the loop needs from the run around it: progress output, interrupts, the run folder. */
export interface RunServices {
  readonly folder: string;
  progress: {
    epochStart(epoch: number, epochs: number, steps: number): void;
    step(step: number, loss: number, metrics: Metrics): void;
    epochEnd(record: EpochRecord): void;
    message(text: string): void;
  };
  interruptRequested(): boolean;
  /** What is trained, when a run trains several models (`member-2 of 5`): messages of a failure name it. */
  readonly trained?: string;
  saveCheckpoint(checkpoint: Checkpoint): Promise<void>;
  saveHistory(history: readonly EpochRecord[], stopped: string | undefined): Promise<void>;
  /**
   * The data-parallel group this trainer is a replica of: each step takes
   * this replica's rows of the batch and the group's summed gradient.
   */
  readonly replicas?: ReplicaGroup;
  /** Takes one training step, which the run may time to choose the threads of the steps after it. */
  takeStep?<T>(step: () => T): T;
}

export interface Checkpoint {
  params: Map<string, tf.Tensor>;
  optimizer: NamedTensor[];
  state: TrainerState;
}

/** Where the loop is, in JSON: enough for `--resume` to continue exactly. */
export interface TrainerState {
  phase: string;
  epoch: number;
  /** Steps of `epoch` already taken; equal to the epoch's step count once it ended. */
  stepsDone: number;
  epochEnded: boolean;
  sums: Array<[string, number]>;
  objectiveSum: number;
  examples: number;
  seconds: number;
  history: EpochRecord[];
  stopped?: string;
  secondPhase?: SecondPhase;
  /** `continue_all`: the training loss when the phase started, which the validation loss must reach. */
  targetLoss?: number;
  /** `continue_all` reached its target: a finished run opened again (to resume or combine it) trains no further. */
  secondPhaseEnded?: boolean;
  techniques: unknown[];
}

const TECHNIQUE_TENSOR = /^technique\/(\d+)\/(.+)$/;
const OPTIMIZER_TENSOR = /^optimizer\/(.+)$/;

/**
 * Adam keeps β₁ᵗ and β₂ᵗ as running products, but its `setWeights`
 * recomputes them with `pow`, which rounds differently: a resumed run would
 * drift in the last digits. The checkpoint keeps the products themselves.
 */
const OPTIMIZER_RUNNING_PRODUCTS = ["accBeta1", "accBeta2"] as const;

function runningProducts(optimizer: tf.Optimizer): Map<string, tf.Variable> {
  const fields = optimizer as unknown as Record<string, unknown>;
  return new Map(OPTIMIZER_RUNNING_PRODUCTS.flatMap((name) => (fields[name] instanceof tf.Variable ? [[name, fields[name] as tf.Variable]] : [])));
}

/**
 * The training loop's body, one epoch at a time; the generated code holds
 * the loop itself. Custom rather than `model.fit`: techniques hook into
 * each step, and a run can stop and resume at any step.
 */
export class Trainer {
  readonly epochs: number;
  private readonly setup: StepSetup;
  private state: TrainerState;
  private lastCheckpoint: string | undefined;
  private trainSplit: DataSplit;
  /** Splits whose inputs techniques read beside each training batch (`using digits.unlabeled`). */
  private readonly usedSplits: readonly string[];

  constructor(
    private readonly plan: TrainingPlan,
    private readonly run: RunServices,
    epochsOverride?: number,
  ) {
    // The checker holds the spec's own epochs to these counts; an override is held here, where every trainer starts. A `Run` refuses it before this (session/run.ts), leaving its folder as found.
    if (epochsOverride !== undefined) refuseFewerEpochsThanCounted(plan.techniques, epochsOverride);
    this.epochs = epochsOverride ?? plan.epochs;
    const split = plan.data.splits.train;
    if (!split) throw new Error(`data ${plan.data.name} has no train split`);
    this.trainSplit = split;
    checkInputIds(plan.model, plan.data);
    this.usedSplits = [...new Set(plan.techniques.flatMap((t) => t.uses ?? []))];
    for (const technique of plan.techniques) technique.attach?.({ model: plan.model, tasks: plan.tasks, data: plan.data });
    this.setup = {
      model: plan.model,
      tasks: plan.tasks,
      techniques: plan.techniques,
      optimizer: plan.optimizer.create(),
      ...(plan.optimizer.decoupledDecay !== undefined && { decoupledDecay: plan.optimizer.decoupledDecay }),
      ...(plan.clipNorm !== undefined && { clipNorm: plan.clipNorm }),
    };
    this.state = freshState("train");
  }

  /** The first epoch to run: 1, or where a resumed run left off; past the last once a technique stopped training. */
  get firstEpoch(): number {
    if (this.state.phase === "train" && this.state.stopped !== undefined) return this.epochs + 1;
    return this.state.epochEnded ? this.state.epoch + 1 : Math.max(1, this.state.epoch);
  }

  get model(): Model {
    return this.plan.model;
  }

  get tasks(): readonly Task[] {
    return this.plan.tasks;
  }

  get techniques(): readonly Technique[] {
    return this.plan.techniques;
  }

  get data(): Dataset {
    return this.plan.data;
  }

  get history(): readonly EpochRecord[] {
    return this.state.history;
  }

  /** Why a technique stopped training early, if one did. */
  get stopped(): string | undefined {
    return this.state.stopped;
  }

  /** Restores a checkpoint written by an earlier, interrupted run of the same code. */
  async resume(checkpoint: Checkpoint): Promise<void> {
    refuseEarlierEnd([{ folder: this.run.folder, state: checkpoint.state }], this.epochs);
    this.state = checkpoint.state;
    const techniqueTensors = new Map<number, Map<string, tf.Tensor>>();
    const optimizerProducts = new Map<string, tf.Tensor>();
    for (const [name, tensor] of checkpoint.params) {
      const product = OPTIMIZER_TENSOR.exec(name);
      if (product) {
        optimizerProducts.set(product[1]!, tensor);
        continue;
      }
      const match = TECHNIQUE_TENSOR.exec(name);
      if (match) {
        const index = Number(match[1]);
        if (!techniqueTensors.has(index)) techniqueTensors.set(index, new Map());
        techniqueTensors.get(index)!.set(match[2]!, tensor);
        continue;
      }
      const variable = this.plan.model.params.get(name) ?? this.plan.model.state.get(name);
      if (!variable) throw new RunFolderError(`the checkpoint has a parameter ${name} that model ${this.plan.model.name} lacks: was the spec changed since?`);
      if (!tf.util.arraysEqual(variable.shape, tensor.shape)) {
        throw new RunFolderError(`the checkpoint's ${name} has shape [${tensor.shape.join(", ")}], but model ${this.plan.model.name}'s is [${variable.shape.join(", ")}]`);
      }
      variable.assign(tensor);
    }
    const missing = [...this.plan.model.params.keys(), ...this.plan.model.state.keys()].filter((name) => !checkpoint.params.has(name));
    if (missing.length > 0) throw new RunFolderError(`the checkpoint lacks model ${this.plan.model.name}'s ${missing.join(", ")}`);
    this.lastCheckpoint = this.describeCheckpoint();
    if (this.state.phase !== "train") this.trainSplit = this.mergedSplit();
    await this.setup.optimizer.setWeights(checkpoint.optimizer);
    for (const [name, variable] of runningProducts(this.setup.optimizer)) {
      const saved = optimizerProducts.get(name);
      if (saved) variable.assign(saved);
    }
    this.plan.techniques.forEach((technique, index) => {
      const values = this.state.techniques[index];
      const tensors = techniqueTensors.get(index);
      if (values !== undefined || tensors) technique.loadState?.({ values, ...(tensors && { tensors }) });
    });
  }

  /** Trains one epoch (the rest of it, when resuming mid-epoch) on shuffled batches. */
  async trainEpoch(epoch: number): Promise<void> {
    await this.endingReplicasOnStop(() => this.trainSteps(epoch));
  }

  private async trainSteps(epoch: number): Promise<void> {
    const state = this.state;
    if (state.epoch !== epoch || state.epochEnded) Object.assign(state, startOfEpoch(epoch));
    const learningRate = this.learningRate(epoch);
    setLearningRate(this.setup.optimizer, learningRate);
    const batches = this.epochBatches(epoch);
    const sums = new Map(state.sums);
    this.run.progress.epochStart(epoch, this.phaseEpochs, batches.length);
    const started = performance.now() - state.seconds * 1000;
    for (let index = state.stepsDone; index < batches.length; index++) {
      const step = index + 1;
      const stepInfo = { epoch, step, epochs: this.epochs, seed: deriveSeed(this.plan.seed, "step", state.phase, epoch, step), learningRate };
      const extra = usedSplitBatches(this.plan.data, this.usedSplits, this.plan.batch, (epoch - 1) * batches.length + index, (split, pass) =>
        deriveSeed(this.plan.seed, "extra", split, state.phase, pass),
      );
      const takeStep = () => this.step(batches[index]!, extra, stepInfo);
      const result = this.run.takeStep ? this.run.takeStep(takeStep) : takeStep();
      if (!Number.isFinite(result.objective)) {
        await this.run.saveHistory(state.history, undefined);
        throw this.named(diverged(result.objective, "the training loss", `at epoch ${epoch}, step ${step}`, learningRate, this.lastCheckpoint));
      }
      state.objectiveSum += result.objective * result.examples;
      state.examples += result.examples;
      for (const [name, value] of result.sums) sums.set(name, (sums.get(name) ?? 0) + value);
      state.stepsDone = step;
      state.sums = [...sums];
      state.seconds = (performance.now() - started) / 1000;
      this.run.progress.step(step, state.objectiveSum / state.examples, finishMetrics(sums, state.examples, this.plan.tasks));
      // Let Ctrl-C through after every step: epochs of one step would otherwise never yield to the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.run.interruptRequested()) {
        await this.checkpoint();
        await this.run.saveHistory(state.history, undefined);
        throw interrupted(epoch, step, this.run.folder, state.phase);
      }
    }
  }

  /** One step on these training rows, alone or as this replica's share of them. */
  private step(rows: Int32Array, extra: ReadonlyMap<string, tf.Tensor> | undefined, stepInfo: StepInfo): StepResult {
    const group = this.run.replicas;
    if (!group) {
      const batch = { ...gatherBatch(this.plan.data, this.trainSplit, rows), ...(extra && { extra }) };
      const result = trainStep(this.setup, batch, stepInfo);
      disposeBatch(batch);
      return result;
    }
    const own = (tensor: tf.Tensor) => {
      const [start, end] = group.range(tensor.shape[0]!);
      return tf.slice(tensor, start, end - start);
    };
    if (extra) {
      const shares = new Map([...extra].map(([name, tensor]) => [name, own(tensor)]));
      tf.dispose([...extra.values()]);
      extra = shares;
    }
    const batch = { ...gatherBatch(this.plan.data, this.trainSplit, rows.subarray(...group.range(rows.length))), ...(extra && { extra }) };
    const result = replicatedStep(this.setup, batch, stepInfo, group, rows.length);
    disposeBatch(batch);
    return result;
  }

  /** Training stopped here (Ctrl-C, a diverging loss, a failure): the other replicas stop too, instead of waiting for this one. */
  private async endingReplicasOnStop<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      this.run.replicas?.end();
      throw error;
    }
  }

  /** Validates, records the epoch, runs epoch-end hooks and checkpoints; true when training should stop. */
  async endEpoch(epoch: number): Promise<boolean> {
    return this.endingReplicasOnStop(() => this.recordEpoch(epoch));
  }

  private async recordEpoch(epoch: number): Promise<boolean> {
    const state = this.state;
    const train = finishMetrics(new Map(state.sums), state.examples, this.plan.tasks);
    train.loss = state.objectiveSum / state.examples;
    const val = this.plan.data.splits.val;
    const record: EpochRecord = {
      epoch,
      phase: state.phase,
      learningRate: this.learningRate(epoch),
      seconds: state.seconds,
      train,
      ...(val && state.phase === "train" && { val: evaluateSplit(this.plainPredict(), this.plan.data, val, this.plan.tasks) }),
    };
    state.history.push(record);
    state.epochEnded = true;
    // Weights can blow up while each step's loss stays finite; such an epoch must not replace the last good checkpoint.
    const blownUp = Object.entries(record.val ?? {}).find(([name, value]) => name.endsWith("loss") && !Number.isFinite(value));
    if (blownUp) {
      this.run.progress.epochEnd(record);
      await this.run.saveHistory(state.history, undefined);
      throw this.named(diverged(blownUp[1], `the validation ${blownUp[0]}`, `after epoch ${epoch}`, record.learningRate, this.lastCheckpoint));
    }
    let stop = false;
    if (state.phase === "train") {
      const control = {
        history: state.history,
        stop: (reason: string) => {
          stop = true;
          state.stopped = reason;
        },
      };
      for (const technique of this.plan.techniques) technique.epochEnd?.(record, this.plan.model, control);
    } else {
      stop = this.secondPhaseDone(record);
      if (stop) state.secondPhaseEnded = true;
    }
    this.run.progress.epochEnd(record);
    await this.checkpoint();
    await this.run.saveHistory(state.history, state.stopped);
    if (stop && state.stopped) this.run.progress.message(state.stopped);
    return stop;
  }

  /**
   * Ends training: restores what techniques keep (the best weights), runs
   * the early-stopping second phase when one was asked for, and measures
   * every labeled split.
   */
  async finish(): Promise<Pick<FinalMetrics, "splits" | "extra" | "classification"> & { kept: Map<string, ReadonlyMap<string, tf.Tensor>> }> {
    await this.finishTraining();
    const predict = this.predictor();
    const splits: FinalMetrics["splits"] = {};
    const confusion = new ConfusionCounts(this.plan.data, "test");
    for (const [name, split] of reportedSplits(this.plan.data, this.plan.tasks)) {
      splits[name] = evaluateSplit(predict, this.plan.data, split, this.plan.tasks, name === "test" ? confusion : undefined);
    }
    const extra: NonNullable<FinalMetrics["extra"]> = {};
    const context = { model: this.plan.model, data: this.plan.data, tasks: this.plan.tasks, predict };
    for (const technique of this.plan.techniques) Object.assign(extra, technique.finalMetrics?.(context));
    const kept = new Map(this.plan.techniques.flatMap((technique) => [...(technique.keptWeights?.() ?? [])]));
    const classification = confusion.results(this.plan.tasks);
    return { splits, ...(Object.keys(extra).length > 0 && { extra }), ...(Object.keys(classification).length > 0 && { classification }), kept };
  }

  /** The end of training without measuring anything: what techniques keep restored, the second phase trained. */
  async finishTraining(): Promise<void> {
    if (this.state.phase === "train") {
      let phase: SecondPhase | undefined;
      for (const technique of this.plan.techniques) phase = technique.trainingEnd?.(this.plan.model) ?? phase;
      if (phase) await this.runSecondPhase(phase);
    } else if (this.state.secondPhase) {
      await this.continueSecondPhase(this.state.secondPhase);
    }
  }

  /** How the trained model predicts: its forward pass in evaluation mode, as techniques wrap it (Monte-Carlo dropout, snapshots). */
  predictor(): Predict {
    return this.plan.techniques.reduce<Predict>((inner, t) => (t.wrapPrediction ? t.wrapPrediction(inner, this.plan.model) : inner), this.plainPredict());
  }

  /**
   * The training rows of each step of an epoch. By default one pass over
   * the training split in a fresh order, the last batch maybe short. When
   * techniques read another split, the epoch is one pass over the largest
   * split in use, and `steps_per_epoch` sets its length for any spec: then
   * the steps take full batches from a walk that cycles through the
   * training rows and goes on from one epoch to the next.
   */
  private epochBatches(epoch: number): Int32Array[] {
    const { seed, data } = this.plan;
    const rows = this.trainSplit.rows;
    const batch = Math.min(this.plan.batch, rows);
    const phase = this.state.phase;
    const steps = this.plan.stepsPerEpoch ?? (this.usedSplits.length > 0 ? stepsOverLargest([rows, ...this.usedSplits.map((name) => usedSplit(data, name).rows)], batch) : undefined);
    if (steps === undefined) return batchIndices(permutation(rows, deriveSeed(seed, "shuffle", phase, epoch)), batch);
    return Array.from({ length: steps }, (_, index) => cyclingBatch(rows, batch, (epoch - 1) * steps + index, (pass) => deriveSeed(seed, "shuffle", phase, "pass", pass)));
  }

  /** The schedule's rate for an epoch, as techniques may change it. */
  private learningRate(epoch: number): number {
    const scheduled = this.plan.schedule(this.plan.optimizer.learningRate, epoch, this.epochs);
    return this.plan.techniques.reduce((rate, t) => (t.learningRate ? t.learningRate(rate, epoch, this.epochs) : rate), scheduled);
  }

  private plainPredict(): Predict {
    return (x) => this.plan.model.forward(x, { training: false, seed: 0 }).layers;
  }

  private async runSecondPhase(phase: SecondPhase): Promise<void> {
    const state = this.state;
    if (phase.kind === "continue_all") {
      state.targetLoss = evaluateSplit(this.plainPredict(), this.plan.data, this.plan.data.splits.train!, this.plan.tasks).loss;
    }
    Object.assign(state, startOfEpoch(0), { phase: phase.kind, secondPhase: phase });
    if (phase.kind === "retrain_all") {
      this.plan.model.reinitialize(deriveSeed(this.plan.seed, "retrain"));
      this.setup.optimizer.dispose();
      this.setup.optimizer = this.plan.optimizer.create();
    }
    this.trainSplit = this.mergedSplit();
    this.run.progress.message(
      phase.kind === "retrain_all"
        ? `retraining from scratch on train + val for ${phase.epochs} epochs (then: retrain_all)`
        : `continuing on train + val until the validation loss reaches the training loss, ${state.targetLoss?.toPrecision(4)} (then: continue_all)`,
    );
    await this.continueSecondPhase(phase);
  }

  private async continueSecondPhase(phase: SecondPhase): Promise<void> {
    if (this.state.secondPhaseEnded) return;
    const last = phaseLength(phase);
    for (let epoch = this.firstEpoch; epoch <= last; epoch++) {
      await this.trainEpoch(epoch);
      if (await this.endEpoch(epoch)) break;
    }
  }

  /** The epochs of the phase under way, as progress counts them: the spec's, or those early stopping's second phase runs (counting from 1 again). */
  private get phaseEpochs(): number {
    const phase = this.state.secondPhase;
    return phase === undefined ? this.epochs : phaseLength(phase);
  }

  /** Algorithm 7.3 stops once the validation loss is down to the training loss the phase started from. */
  private secondPhaseDone(record: EpochRecord): boolean {
    const val = this.plan.data.splits.val;
    if (this.state.secondPhase?.kind !== "continue_all" || !val || this.state.targetLoss === undefined) return false;
    record.val = evaluateSplit(this.plainPredict(), this.plan.data, val, this.plan.tasks);
    return (record.val.loss ?? Infinity) <= this.state.targetLoss;
  }

  private mergedSplit(): DataSplit {
    const { train, val } = this.plan.data.splits;
    return val ? mergeSplits("train+val", train!, val) : train!;
  }

  private async checkpoint(): Promise<void> {
    const params = new Map<string, tf.Tensor>();
    for (const [name, variable] of this.plan.model.params) params.set(name, variable);
    for (const [name, variable] of this.plan.model.state) params.set(name, variable);
    const techniqueStates: unknown[] = [];
    this.plan.techniques.forEach((technique, index) => {
      const saved: TechniqueState | undefined = technique.saveState?.();
      techniqueStates.push(saved?.values);
      for (const [name, tensor] of saved?.tensors ?? []) params.set(`technique/${index}/${name}`, tensor);
    });
    this.state.techniques = techniqueStates;
    for (const [name, variable] of runningProducts(this.setup.optimizer)) params.set(`optimizer/${name}`, variable);
    const optimizer = await this.setup.optimizer.getWeights();
    await this.run.saveCheckpoint({ params, optimizer, state: this.state });
    // getWeights makes a fresh scalar for the iteration count on each call; the rest are the optimizer's own variables.
    tf.dispose(optimizer.filter((weight) => weight.name === "iter").map((weight) => weight.tensor));
    this.lastCheckpoint = this.describeCheckpoint();
  }

  private named(error: TrainingStopped): TrainingStopped {
    return this.run.trained === undefined ? error : new TrainingStopped(`${this.run.trained}: ${error.message}`, error.exitCode, error.expected);
  }

  private describeCheckpoint(): string {
    return `${this.state.phase} epoch ${this.state.epoch}${this.state.epochEnded ? "" : `, step ${this.state.stepsDone}`}`;
  }
}

function freshState(phase: string): TrainerState {
  return { phase, ...startOfEpoch(0), history: [], techniques: [] };
}

function startOfEpoch(epoch: number): Pick<TrainerState, "epoch" | "stepsDone" | "epochEnded" | "sums" | "objectiveSum" | "examples" | "seconds"> {
  return { epoch, stepsDone: 0, epochEnded: false, sums: [], objectiveSum: 0, examples: 0, seconds: 0 };
}

/** The epochs early stopping's second phase trains: `retrain_all` as many as the best epoch; `continue_all` at most as many. */
function phaseLength(phase: SecondPhase): number {
  return phase.kind === "retrain_all" ? phase.epochs : phase.maxEpochs;
}
