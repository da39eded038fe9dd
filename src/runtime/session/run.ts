import * as tf from "@tensorflow/tfjs";
import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { selectBackend } from "../backend/select.js";
import type { DataSpec, Dataset } from "../data/dataset.js";
import { loadData } from "../data/load.js";
import type { Model } from "../model/model.js";
import { loadCheckpoint, saveCheckpoint } from "../run/checkpoint.js";
import type { EpochRecord, FinalMetrics, History } from "../run/history.js";
import { createProgressReporter, type ProgressOutput, type ProgressReporter } from "../run/progress.js";
import { createRunFolder, saveModel, writeHistory, writeMetrics, writeReport } from "../run/run-folder.js";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import type { RidgeSolution } from "../solve/ridge.js";
import { evaluateSplit } from "../train/evaluate.js";
import type { Task } from "../train/tasks.js";
import { Trainer, type TrainerState, type TrainingPlan } from "../train/trainer.js";
import { InterruptWatch } from "./interrupt.js";

/** How a run is started: from `regc run`, or from the command line of the generated file. */
export interface RunOptions {
  /** `tfjs-node-gpu`, `tfjs-node`, `wasm`, `cpu` or `tensorflow`; the first that loads when absent. */
  backend?: string;
  /** Where run folders are made (default `runs`). */
  runs?: string;
  /** A run folder with a checkpoint to continue. */
  resume?: string;
  /** Fewer (or more) epochs than the spec says, for a quick try. */
  epochs?: number;
  /** Where progress goes (default stderr). */
  progress?: ProgressOutput;
  /** The generated code and spec to keep in the run folder, when the caller has them. */
  code?: { fileName: string; text: string };
  spec?: { fileName: string; text: string };
}

export interface RunResult {
  folder: string;
  backend: string;
  metrics: FinalMetrics;
  history: History;
}

/** What the generated code says about itself. */
export interface RunIdentity {
  /** The spec file's name. */
  spec: string;
  /** The run folder's prefix: the spec's name without extension. */
  name: string;
  seed: number;
  /** `import.meta.url` of the generated code, to keep a copy of it. */
  code: string;
}

/**
 * One training run: the backend, the run folder and everything written to
 * it, progress output and Ctrl-C. The generated code opens it, asks it for
 * data and a trainer, and closes it with `finish`.
 */
export class Run {
  private history: History;
  private readonly interrupts = new InterruptWatch();

  private constructor(
    readonly identity: RunIdentity,
    readonly options: RunOptions,
    readonly folder: string,
    readonly backend: string,
    private readonly progress: ProgressReporter,
  ) {
    this.history = { spec: identity.spec, backend, seed: identity.seed, epochs: [] };
  }

  static async start(identity: RunIdentity, options: RunOptions = {}): Promise<Run> {
    const progress = createProgressReporter(options.progress ?? process.stderr);
    const backend = await selectBackend(options.backend);
    const folder = options.resume ? resolve(options.resume) : createRunFolder(options.runs ?? "runs", identity.name);
    if (options.resume && !existsSync(join(folder, "checkpoint"))) {
      throw new Error(`${folder} holds no checkpoint to resume from`);
    }
    const run = new Run(identity, options, folder, backend, progress);
    run.keepSources();
    progress.message(`${options.resume ? "resuming" : "training"} ${identity.spec} on the ${backend} backend → ${folder}`);
    return run;
  }

  get seed(): number {
    return this.identity.seed;
  }

  async load(spec: DataSpec): Promise<Dataset> {
    return loadData(spec);
  }

  /** The training loop's body for this plan, resumed from the checkpoint when continuing a run. */
  async trainer(plan: TrainingPlan): Promise<Trainer> {
    const trainer = new Trainer(
      plan,
      {
        folder: this.folder,
        progress: this.progress,
        interruptRequested: () => this.interrupts.requested,
        saveCheckpoint: (checkpoint) => saveCheckpoint(this.folder, checkpoint),
        saveHistory: async (epochs, stopped) => this.saveHistory(epochs, stopped),
      },
      this.options.epochs,
    );
    if (this.options.resume) {
      const checkpoint = await loadCheckpoint(this.folder);
      if (!checkpoint) throw new Error(`${this.folder} holds no complete checkpoint to resume from`);
      await trainer.resume({ ...checkpoint, state: checkpoint.state as TrainerState });
    }
    this.interrupts.start();
    return trainer;
  }

  /** Final metrics on every labeled split, the trained weights, metrics.json and report.html. */
  async finish(trainer: Trainer): Promise<RunResult> {
    this.interrupts.stop();
    const { splits, extra } = await trainer.finish();
    return this.complete(trainer.model, splits, extra);
  }

  /** The same for a model solved in closed form (`solver closed_form`): no epochs, one solution. */
  async finishSolved(solved: { model: Model; data: Dataset; tasks: readonly Task[]; solution: RidgeSolution }): Promise<RunResult> {
    const predict = (x: tf.Tensor) => solved.model.forward(x, { training: false, seed: 0 }).layers;
    const splits: FinalMetrics["splits"] = {};
    for (const [name, split] of Object.entries(solved.data.splits)) splits[name] = evaluateSplit(predict, solved.data, split, solved.tasks);
    const { kernel, bias } = solved.solution;
    const norm = Math.sqrt(kernel.reduce((sum, w) => sum + w * w, 0));
    this.progress.message(
      `closed-form ridge solution: ‖w‖ = ${norm.toPrecision(6)}, bias = ${[...bias].map((b) => b.toPrecision(6)).join(", ")}, ` +
        `w[0…4] = ${[...kernel.slice(0, 5)].map((w) => w.toPrecision(4)).join(", ")}`,
    );
    writeFileAtomically(join(this.folder, "solution.json"), `${JSON.stringify({ kernel: [...kernel], bias: [...bias] }, null, 2)}\n`);
    return this.complete(solved.model, splits, { solution: { weight_norm: norm } });
  }

  private async complete(model: Model, splits: FinalMetrics["splits"], extra?: FinalMetrics["extra"]): Promise<RunResult> {
    const metrics: FinalMetrics = { spec: this.identity.spec, backend: this.backend, splits, ...(extra && { extra }) };
    await saveModel(this.folder, new Map([...model.params, ...model.state]), { model: model.name, inputShape: model.inputShape });
    writeMetrics(this.folder, metrics);
    writeHistory(this.folder, this.history);
    writeReport(this.folder, this.history, metrics, {
      title: `${this.identity.spec} — ${basename(this.folder)}`,
      ...(this.options.spec && { specText: this.options.spec.text }),
      ...(this.codeText() !== undefined && { code: this.codeText()! }),
    });
    for (const [split, values] of Object.entries(splits)) {
      this.progress.message(`${split}: ${Object.entries(values).map(([name, value]) => `${name} ${value.toPrecision(4)}`).join("  ")}`);
    }
    this.progress.message(`run folder: ${this.folder}`);
    this.progress.finish();
    return { folder: this.folder, backend: this.backend, metrics, history: this.history };
  }

  private saveHistory(epochs: readonly EpochRecord[], stopped: string | undefined): void {
    this.history = { ...this.history, epochs: [...epochs], ...(stopped && { stopped }) };
    writeHistory(this.folder, this.history);
  }

  /** The generated code and the spec, kept beside the results they produced. */
  private keepSources(): void {
    const code = this.codeText();
    if (code !== undefined) writeFileAtomically(join(this.folder, this.options.code?.fileName ?? `${this.identity.name}.ts`), code);
    if (this.options.spec) writeFileAtomically(join(this.folder, this.options.spec.fileName), this.options.spec.text);
  }

  private codeText(): string | undefined {
    if (this.options.code) return this.options.code.text;
    const path = fileURLToPath(this.identity.code);
    return path.endsWith(".ts") && existsSync(path) ? readFileSync(path, "utf8") : undefined;
  }
}
