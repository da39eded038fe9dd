import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { selectBackend, threadsInUse } from "../backend/select.js";
import { defaultThreadCount, shareThreads, threadsFromEnvironment } from "../backend/threads.js";
import type { ThreadChoice } from "../backend/thread-choice.js";
import { threadPoolsOf, type ThreadPools } from "../backend/thread-pools.js";
import { MAX_WASM_THREADS } from "../backend/threaded-wasm.js";
import type { DataSpec, Dataset } from "../data/dataset.js";
import { loadData } from "../data/load.js";
import { loadRecordedData, readingWhereStarted, type RecordedData } from "../data/recorded-data.js";
import type { Model } from "../model/model.js";
import { loadCheckpoint, saveCheckpoint } from "../run/checkpoint.js";
import { isRecordedProgram, programDigest } from "../run/program-digest.js";
import { sha256 } from "../run/sha256.js";
import type { EpochRecord, FinalMetrics, History, MemberHistory } from "../run/history.js";
import { metricPairs } from "../run/epoch-summary.js";
import { createProgressReporter, type ProgressOutput, type ProgressReporter } from "../run/progress.js";
import { MODEL_FOLDER, saveModelFolder } from "../export/save-model.js";
import { predictionPlan, type PredictionPlan } from "../export/prediction-plan.js";
import { createRunFolder, writeHistory, writeMetrics, writeReport } from "../run/run-folder.js";
import { RunFolderError } from "../run/run-folder-error.js";
import { lockRunFolder } from "../run/run-lock.js";
import { readRunRecord, writeRunRecord, type RunRecord } from "../run/run-record.js";
import { saveTensors } from "../run/weights-io.js";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import type { RidgeSolution } from "../solve/ridge.js";
import type { BaggingPlan } from "../techniques/bagging.js";
import { evaluateSplit } from "../train/evaluate.js";
import type { Task } from "../train/tasks.js";
import { refuseFewerEpochsThanCounted, TooFewEpochsError } from "../train/earlier-end.js";
import { Trainer, type TrainerState, type TrainingPlan } from "../train/trainer.js";
import { trainerStateProblem } from "../train/trainer-state.js";
import { summarizeModel, type ModelSummary } from "../model/summary.js";
import { Ensemble } from "./ensemble.js";
import { InterruptWatch } from "./interrupt.js";
import { MemberWorkers } from "./member-workers.js";
import { watchParent } from "./parent-watch.js";
import { watchReaders } from "./reader-watch.js";
import { ReplicaGroup, ReplicaGroupEnded } from "../parallel/replica-group.js";
import { startReplicaThreads, type ReplicaPlace } from "../parallel/replica-threads.js";
import { continuation, noCheckpoint } from "./resume.js";
import { StepThreads } from "./step-threads.js";
import { datasetFingerprint } from "../data/fingerprint.js";
import { plural } from "../../shared/plural.js";
import { locateDataFile } from "../../shared/tabular/index.js";

/** How a run is started: from `regc run`, or from the command line of the generated file. */
export interface RunOptions {
  /** `tfjs-node-gpu`, `tfjs-node`, `webgpu`, `wasm`, `cpu` or `tensorflow`; the first that loads when absent. */
  backend?: string;
  /**
   * Threads the run computes with (1 to 8): REGLANG_THREADS, else one or
   * every core, whichever the first steps time faster, when absent. On
   * wasm they are shared among the replicas.
   */
  threads?: number;
  /**
   * Data-parallel replicas on wasm (default 1): each a thread with its own
   * backend and `threads / replicas` threads (at least one), taking its
   * share of every batch; their gradients are summed. The numbers depend
   * on the seed and the number of replicas only, and one replica trains
   * exactly as a run without replicas. A resumed run keeps its count.
   */
  replicas?: number;
  /** Set by the runtime in the threads it starts for replicas 2, 3, …: the group to join, rank 0's run folder and the spec folder it records. */
  replica?: ReplicaPlace;
  /** Where run folders are made (default `runs`). */
  runs?: string;
  /** A run folder with a checkpoint to continue. */
  resume?: string;
  /** Fewer (or more) epochs than the spec says, for a quick try. */
  epochs?: number;
  /**
   * The training seed instead of the spec's `train { seed }`: initial weights,
   * batch order, masks and noise. The data split keeps the spec's data seed.
   * A resumed run keeps the seed it started with.
   */
  seed?: number;
  /**
   * Processes that train bagging's members at once, each running this same
   * program with `member` (default: one per core; 1 trains them here, one
   * after another). The numbers are the same for any count.
   */
  workers?: number;
  /** Trains only this bagging member (1-based) of the run `resume` names: what each worker process does. */
  member?: number;
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

/** Bagging's member processes: the pool, the members (1-based) it trains, and how many it runs at once. */
interface MemberProcesses {
  pool: MemberWorkers;
  indices: number[];
  size: number;
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
  /** The spec's text, which the generated code carries so that every run folder and report has it, however the program was started. */
  specText?: string;
}

/**
 * One training run: the backend, the run folder and everything written to
 * it, progress output and Ctrl-C. The generated code opens it, asks it for
 * data and a trainer, and closes it with `finish`.
 */
export class Run {
  private history: History;
  private readonly interrupts = new InterruptWatch();
  /** Final metrics of models trained before the main one (`pretrainer`), by row name. */
  private readonly pretrained: NonNullable<FinalMetrics["extra"]> = {};
  /** Models trained before the main one so far. */
  private pretrainedModels = 0;
  /** With no thread count asked for: the pools whose threads each trainer's steps time (undefined where the count is fixed). */
  private readonly timedPools: ThreadPools | undefined;
  /** A resumed run's `run.json` as it was before this run rewrote it with its options. */
  private recordAsFound: RunRecord | undefined;

  private constructor(
    readonly identity: RunIdentity,
    readonly options: RunOptions,
    readonly folder: string,
    readonly backend: string,
    /** Threads the backend computes with, where reglang sets them (wasm). */
    readonly threads: number | undefined,
    private readonly progress: ProgressReporter,
    /** The generated program, kept in the run folder and shown in the report. */
    private readonly code: string | undefined,
    /** `run.json`: what the run was started with. */
    private record: RunRecord,
    /** A finished run resumed with more epochs: every member trains on, even those with results. */
    private readonly trainsOn = false,
    /** Replicas that train each model together: 1, or the size of the group (rank 0 starts it when the data loads). */
    private readonly replicas = 1,
    /** In a replica's thread (rank ≥ 1): its group. It writes nothing; rank 0's run keeps the files. */
    private group?: ReplicaGroup,
  ) {
    this.history = { spec: identity.spec, backend, ...(threads !== undefined && { threads }), ...(replicas > 1 && { replicas }), seed: identity.seed, epochs: [] };
    this.timedPools = this.poolsToTime();
    if (!this.isReplica) {
      watchParent(() => this.interrupts.requestQuietly());
      watchReaders(() => this.interrupts.requestQuietly());
      this.interrupts.watchBeforeTraining(
        options.resume
          ? `interrupted before training went on: ${folder} is as it was, and \`regc run --resume\` continues it`
          : `interrupted before the first step: nothing was trained, and ${folder} holds no checkpoint to continue from (one is written after a step): start the run again`,
      );
    }
  }

  /**
   * Where the thread count is reglang's to choose (none asked for, one
   * replica, the threaded wasm build): the steps' own timing picks one
   * thread or all of them.
   */
  private poolsToTime(): ThreadPools | undefined {
    if (this.isReplica || this.replicas > 1 || this.options.threads !== undefined || threadsFromEnvironment() !== undefined) return undefined;
    const pools = this.backend === "wasm" ? threadPoolsOf(tf.backend()) : undefined;
    return pools === undefined || pools.most < 2 ? undefined : pools;
  }

  /** Says which count the timing chose (when it changes), and records it. */
  private threadsChosen({ threads, medianSeconds, previous }: ThreadChoice): void {
    this.history.threads = threads;
    if (previous === threads) return;
    const times = [...medianSeconds].map(([count, seconds]) => `${(seconds * 1000).toFixed(1)} ms on ${plural(count, "thread")}`).join(", ");
    this.progress.message(`${previous === undefined ? "training" : "now training"} on ${plural(threads, "thread")}: the median step took ${times}`);
  }

  /**
   * "wasm backend (2 threads)", "wasm backend (2 replicas × 1 thread)",
   * "wasm backend (1 or 2 threads, …)": the backend, and the threads it
   * computes with where reglang sets them, fixed or timed over the first steps.
   */
  private get backendDescription(): string {
    if (this.threads === undefined) return `${this.backend} backend`;
    if (this.timedPools) return `${this.backend} backend (1 or ${this.threads} threads, whichever the first steps time faster)`;
    const each = plural(this.threads, "thread");
    return `${this.backend} backend (${this.replicas > 1 ? `${this.replicas} replicas × ${each}` : each})`;
  }

  /** Whether this is a replica's thread rather than the run's own (rank 0). */
  private get isReplica(): boolean {
    return this.options.replica !== undefined;
  }

  /**
   * A new run folder, or with `options.resume` the run to continue: checked
   * to be a run of this program, continued with the options it was started
   * with unless they are given again.
   */
  static async start(identity: RunIdentity, options: RunOptions = {}): Promise<Run> {
    const progress = createProgressReporter(options.progress ?? process.stderr);
    // Started on its own, the program keeps its own file (`node out/x.mjs` keeps the `.ts` or `.mts` beside it).
    const generated = options.code ?? generatedSource(identity.code);
    if (generated && !options.code) options = { ...options, code: generated };
    const code = generated?.text;
    if (options.replica) return Run.startReplica(identity, options, options.replica);
    if (options.member !== undefined) return Run.startMember(identity, options, options.member, progress, code);
    if (options.resume) {
      const folder = resolve(options.resume);
      const continued = continuation(folder, identity, options, code);
      lockRunFolder(folder);
      const { backend, replicas, withoutReplicas } = await startBackend(continued.options.backend, continued.options, identity.code);
      writeRunRecord(folder, continued.record);
      const spec =
        options.spec ?? (continued.record.specFile && continued.specText !== undefined ? { fileName: continued.record.specFile.name, text: continued.specText } : carriedSpec(identity));
      // The seed it started with, which may be a `--seed` rather than the program's.
      const threads = await threadsInUse();
      const run = new Run(
        { ...identity, seed: continued.record.seed },
        { ...continued.options, ...(spec && { spec }) },
        folder,
        backend,
        threads,
        progress,
        code,
        continued.record,
        continued.trainsOn,
        replicas,
      );
      run.recordAsFound = continued.found;
      progress.message(`resuming ${identity.spec} on the ${run.backendDescription} → ${folder}`);
      if (withoutReplicas) progress.message(withoutReplicas);
      return run;
    }
    // `regc run` hands over the spec it read; a program started on its own has the copy it carries.
    const spec = options.spec ?? carriedSpec(identity);
    if (spec) options = { ...options, spec };
    const { backend, replicas, withoutReplicas } = await startBackend(options.backend, options, identity.code);
    const folder = createRunFolder(options.runs ?? "runs", identity.name);
    lockRunFolder(folder);
    const seed = options.seed ?? identity.seed;
    const record: RunRecord = {
      spec: identity.spec,
      seed,
      ...(code !== undefined && { programSha256: programDigest(code) }),
      ...(options.spec && { specFile: { name: options.spec.fileName, sha256: sha256(options.spec.text) } }),
      options: {
        ...(options.epochs !== undefined && { epochs: options.epochs }),
        ...(options.backend !== undefined && { backend: options.backend }),
        ...(options.threads !== undefined && { threads: options.threads }),
        // The numbers depend on it: a resumed run keeps it.
        ...(options.replicas !== undefined && { replicas: options.replicas }),
      },
    };
    const threads = await threadsInUse();
    const run = new Run({ ...identity, seed }, options, folder, backend, threads, progress, code, record, false, replicas);
    run.keepSources();
    writeRunRecord(folder, record);
    progress.message(`training ${identity.spec} on the ${run.backendDescription} → ${folder}`);
    if (withoutReplicas) progress.message(withoutReplicas);
    return run;
  }

  /**
   * A replica's side of a data-parallel run: the same program in a thread
   * of its own, with the options rank 0 settled on. It loads the data,
   * builds the model and takes its share of every step, silently.
   */
  private static async startReplica(identity: RunIdentity, options: RunOptions, membership: ReplicaPlace): Promise<Run> {
    const backend = await selectBackend(options.backend, options.threads ?? 1);
    const record: RunRecord = { spec: identity.spec, seed: options.seed ?? identity.seed, options: {} };
    const silent = createProgressReporter({ write: () => true });
    return new Run({ ...identity, seed: record.seed }, options, membership.folder, backend, await threadsInUse(), silent, undefined, record, false, membership.size, ReplicaGroup.join(membership));
  }

  /**
   * A worker's side of a bagging run: one member of the run `--resume`
   * names, trained into its sub-folder. The run's own files (run.json,
   * history, metrics, report) belong to the process that started the worker.
   */
  private static async startMember(identity: RunIdentity, options: RunOptions, member: number, progress: ProgressReporter, code: string | undefined): Promise<Run> {
    if (!options.resume) throw new RunFolderError("--member trains one bagging member of a run: give the run's folder with --resume");
    const folder = resolve(options.resume);
    const record = readRunRecord(folder);
    if (record.spec !== identity.spec || !isRecordedProgram(code, record.programSha256)) {
      throw new RunFolderError(`${folder} is a run of another program: a member trains with the very program its run started with`);
    }
    const backend = await selectBackend(options.backend ?? record.options.backend, options.threads ?? defaultThreadCount());
    const threads = await threadsInUse();
    const run = new Run({ ...identity, seed: record.seed }, options, folder, backend, threads, progress, code, record);
    progress.message(`member-${member} on the ${run.backendDescription} → ${join(folder, `member-${member}`)}`);
    // Ctrl-C reaches a worker as soon as it starts: even one still loading its data then stops after a first step, with a checkpoint to resume.
    run.interrupts.start();
    return run;
  }

  get seed(): number {
    return this.identity.seed;
  }

  /** The data, as tensors; a fresh run that cannot read its data leaves no run folder behind. */
  async load(written: DataSpec): Promise<Dataset> {
    const spec = this.lookingWhereStarted(written);
    const recorded = this.record.data;
    if (this.isReplica) {
      const sha256 = this.options.replica?.sha256;
      return sha256 !== undefined && readingWhereStarted(spec) !== undefined ? (await loadRecordedData(spec, sha256)).data : loadData(spec);
    }
    if (this.options.resume && recorded && (recorded.name !== spec.name || recorded.seed !== spec.seed)) {
      throw new RunFolderError(`the program's data is ${spec.name} with seed ${spec.seed}, but ${this.folder} started with ${recorded.name} with seed ${recorded.seed}: start a new run instead`);
    }
    // Replicas start now, to load their data and build their model while this thread does.
    if (this.replicas > 1) this.replicaGroup();
    // Hashed only where it is compared (a resume) or recorded (by the run, not a bagging member): it reads every split.
    const compared = this.options.resume ? recorded?.sha256 : undefined;
    let loaded: Pick<RecordedData, "data"> & Partial<RecordedData>;
    try {
      loaded = compared !== undefined ? await loadRecordedData(spec, compared) : { data: await loadData(spec) };
    } catch (error) {
      this.group?.end();
      if (!this.options.resume) rmSync(this.folder, { recursive: true, force: true });
      throw error;
    }
    const { data } = loaded;
    const recording = recorded?.sha256 === undefined && this.options.member === undefined;
    const fingerprint = loaded.fingerprint ?? (recording ? datasetFingerprint(data) : undefined);
    if (compared !== undefined && compared !== fingerprint) {
      this.group?.end();
      throw new RunFolderError(`the data of ${this.folder} changed since the run started (run.json records the SHA-256 of its rows as loaded): a run continues only on the data it started with; restore the data, or start a new run`);
    }
    // A run recorded before fingerprints were kept gets one now, for the resumes after this one.
    const specFolder = loaded.fromWhereStarted ? undefined : this.specFolderToRecord(spec);
    if (recording || specFolder !== undefined) {
      this.updateRecord({ ...(recording && { data: { name: spec.name, seed: spec.seed, sha256: fingerprint! } }), ...(specFolder !== undefined && { specFolder }) });
    }
    return data;
  }

  /**
   * The data block with the folder its run started in, where that is
   * recorded: a run folder moved since then finds its data files there, when
   * the program's own place no longer leads to them.
   */
  private lookingWhereStarted(spec: DataSpec): DataSpec {
    const startedIn = this.options.replica?.specFolder ?? this.record.specFolder;
    // A folder recorded on another system (C:\… read on Linux) leads nowhere here.
    if (startedIn === undefined || !isAbsolute(startedIn) || spec.source.kind === "mnist") return spec;
    return { ...spec, source: { ...spec.source, startedIn } };
  }

  /**
   * The spec's folder for run.json, by the run's own process: the
   * program's, on a fresh run, on a resume of a run recorded without one,
   * and on a resume that found the data from there (a project moved as a
   * whole), so that the folder recorded is the one that last held the data.
   */
  private specFolderToRecord(spec: DataSpec): string | undefined {
    if (this.options.member !== undefined || spec.source.kind === "mnist") return undefined;
    const own = resolve(spec.source.specFolder);
    if (this.record.specFolder === own) return undefined;
    return this.record.specFolder === undefined || locateDataFile(spec.source.path, own) !== undefined ? own : undefined;
  }

  /** The training loop's body for this plan, resumed from the checkpoint when continuing a run. */
  async trainer(plan: TrainingPlan): Promise<Trainer> {
    this.refuseMemberOnly();
    // A run stopped while pretraining has no checkpoint of its main model yet.
    const checkpointRequired = this.pretrainedModels === 0;
    return this.openTrainer(plan, this.folder, (epochs, stopped) => this.saveHistory(epochs, stopped), {
      checkpoint: !this.options.resume ? "none" : checkpointRequired ? "required" : "if-any",
      replicated: true,
    });
  }

  /**
   * Bagging (§7.11): the members to train, each from the same model factory
   * with its own seed and bootstrap resample, in a sub-folder of the run.
   */
  ensemble(plan: BaggingPlan, data: Dataset): Ensemble {
    // Bagging's members train without replicas (in processes of their own by default): a replica has nothing more to do.
    if (this.isReplica) throw new ReplicaGroupEnded();
    const member = this.options.member;
    if (member !== undefined && member > plan.members) throw new RunFolderError(`--member ${member}: ${plan.label} has members 1 to ${plan.members}`);
    // Started with the first member's plan, which says what its techniques need of `--epochs`: a run refused for it starts no member.
    let workers: MemberProcesses | undefined;
    let begun = member !== undefined;
    const beginMember = (memberPlan: TrainingPlan) => {
      if (begun) return;
      begun = true;
      this.refuseFewerEpochs(memberPlan);
      workers = this.memberWorkers(plan);
      const apart = workers ? `, ${workers.size} at a time in processes of their own` : "";
      this.progress.message(`${plan.label}: ${plan.members} members, each on its own bootstrap resample of train${apart}`);
    };
    const host = {
      seed: this.seed,
      backend: this.backend,
      spec: this.identity.spec,
      beginMember,
      trainedApart: async (index: number) => {
        await workers?.pool.finished(index);
        return workers?.indices.includes(index) ?? false;
      },
      // A member continues from its checkpoint when it has one: it was interrupted, or a worker trained it.
      openTrainer: (memberPlan: TrainingPlan, folder: string, trained: string, onHistory: (epochs: readonly EpochRecord[], stopped: string | undefined) => void) =>
        this.openTrainer(memberPlan, folder, onHistory, { checkpoint: "if-any", trained }),
      message: (text: string) => this.progress.message(text),
      // A worker's history is the member's own; the run's is written by the process that combines them.
      memberProgress: (history: MemberHistory) => (member === undefined ? this.saveMemberHistory(history) : undefined),
      saveKept: (folder: string, kept: ReadonlyMap<string, ReadonlyMap<string, tf.Tensor>>) => saveKeptWeights(folder, kept),
      saveModel: (folder: string, models: readonly Model[], plan: () => PredictionPlan, data: Dataset, tasks: readonly Task[]) => this.saveModel(folder, models, plan, data, tasks),
    };
    return new Ensemble(plan, data, host, this.folder, member === undefined ? undefined : [member]);
  }

  /**
   * With more than one worker, the members still to train, each in a
   * process of its own running this program with `--member`; undefined when
   * they train here. A member with results is done, unless a finished run is
   * resumed for more epochs; should one still have epochs left, it trains
   * here, after its worker.
   */
  private memberWorkers(plan: BaggingPlan): MemberProcesses | undefined {
    const size = Math.min(this.options.workers ?? availableParallelism(), plan.members);
    const program = this.identity.code.startsWith("file:") ? fileURLToPath(this.identity.code) : undefined;
    if (size < 2 || program === undefined) return undefined;
    const indices = Array.from({ length: plan.members }, (_, i) => i + 1).filter((index) => this.trainsOn || !existsSync(join(this.folder, `member-${index}`, "metrics.json")));
    // The members share this process's threads, so that together they use no more cores than it would.
    const threads = this.threads === undefined ? undefined : shareThreads(this.threads * this.replicas, size);
    const command = {
      program,
      runFolder: this.folder,
      backend: this.backend,
      ...(threads !== undefined && { threads }),
      ...(this.options.epochs !== undefined && { epochs: this.options.epochs }),
    };
    const pool = new MemberWorkers(indices, plan.members, size, command, this.interrupts, (line) => this.progress.message(line));
    return { pool, indices, size };
  }

  /** A worker trains one bagging member: a program without bagging has none to train. */
  private refuseMemberOnly(): void {
    if (this.options.member !== undefined) throw new RunFolderError(`--member ${this.options.member} trains one bagging member, but ${this.identity.spec} has no bagging clause`);
  }

  /** The ensemble's combined predictions measured on every labeled split, beside each member's; metrics.json and report.html. */
  async finishEnsemble(ensemble: Ensemble): Promise<RunResult> {
    this.interrupts.stop();
    if (this.options.member !== undefined) return this.finishMember(ensemble);
    const { splits, classification, members } = ensemble.finalMetrics();
    const model = ensemble.modelSummary();
    const epochs = ensemble.epochs();
    await this.saveModel(this.folder, ensemble.models(), () => ensemble.exportPlan(), ensemble.data, ensemble.tasks());
    ensemble.dispose();
    this.progress.message(`${ensemble.plan.label}: the ${ensemble.plan.combine === "vote" ? "majority vote" : "average"} of ${members.length} members`);
    return this.report({ spec: this.identity.spec, backend: this.backend, splits, ...(classification && { classification }), members }, epochs, model);
  }

  /**
   * The trainer of a model another model's techniques read (`along
   * manifold(cae)`), trained first with the same settings. Its checkpoints,
   * history and weights go to the sub-folder `pretrained-NAME`, where
   * `--resume` continues it (a finished one only re-reads its results).
   */
  async pretrainer(plan: TrainingPlan): Promise<Trainer> {
    this.refuseMemberOnly();
    const folder = join(this.folder, `pretrained-${plan.model.name}`);
    if (!this.isReplica) mkdirSync(folder, { recursive: true });
    this.progress.message(`training ${plan.model.name} first: the techniques of the next model read it`);
    const history: History = { spec: this.identity.spec, backend: this.backend, seed: this.seed, epochs: [] };
    const onHistory = (epochs: readonly EpochRecord[], stopped: string | undefined) => writeHistory(folder, { ...history, epochs: [...epochs], ...(stopped && { stopped }) });
    return this.openTrainer(plan, folder, onHistory, { checkpoint: this.options.resume ? "if-any" : "none", replicated: true });
  }

  /** Ends a pretrained model's training: its weights in its sub-folder, its final metrics kept for the run's report. */
  async finishPretrained(trainer: Trainer): Promise<Model> {
    this.pretrainedModels++;
    if (this.isReplica) {
      await trainer.finishTraining();
      return trainer.model;
    }
    const { splits } = await trainer.finish();
    const model = trainer.model;
    await this.saveModel(join(this.folder, `pretrained-${model.name}`), [model], () => predictionPlan(model, trainer.techniques), trainer.data, trainer.tasks);
    for (const [split, values] of Object.entries(splits)) this.pretrained[`${model.name} (pretrained) ${split}`] = values;
    this.progress.message(`${model.name} trained; now the model that reads it`);
    return model;
  }

  private async openTrainer(
    plan: TrainingPlan,
    folder: string,
    onHistory: (epochs: readonly EpochRecord[], stopped: string | undefined) => void,
    /**
     * Whether to continue from the folder's checkpoint: `none` for a fresh
     * start. `replicated`: trained by the run's replicas, when it has them.
     */
    { checkpoint: continueFrom, trained, replicated = false }: { checkpoint: "none" | "if-any" | "required"; trained?: string; replicated?: boolean },
  ): Promise<Trainer> {
    const writes = !this.isReplica;
    this.refuseFewerEpochs(plan);
    const trainer = new Trainer(
      plan,
      {
        // Where `--resume` continues: the run's folder, even for a member's trainer.
        folder: this.folder,
        progress: this.progress,
        interruptRequested: () => this.interrupts.requested,
        ...(trained !== undefined && { trained }),
        saveCheckpoint: async (checkpoint) => (writes ? saveCheckpoint(folder, checkpoint) : undefined),
        saveHistory: async (epochs, stopped) => (writes ? onHistory(epochs, stopped) : undefined),
        ...(replicated && this.replicas > 1 && { replicas: this.replicaGroup() }),
        // Each model's steps are timed afresh: a small model trained first may be faster on one thread, the next one not.
        ...(this.timedPools && { takeStep: timedSteps(new StepThreads(this.timedPools, (choice) => this.threadsChosen(choice))) }),
      },
      this.options.epochs,
    );
    if (continueFrom !== "none") {
      const checkpoint = await loadCheckpoint(folder, trainerStateProblem);
      if (checkpoint?.skipped.length) {
        this.progress.message(`warning: passing over damaged checkpoint files:\n  ${checkpoint.skipped.join("\n  ")}\ncontinuing from the newest intact checkpoint, ${join(folder, "checkpoint", String(checkpoint.generation))}`);
      }
      if (checkpoint) await trainer.resume({ ...checkpoint, state: checkpoint.state as TrainerState });
      else if (continueFrom === "required") throw noCheckpoint(folder, this.identity.spec);
    }
    if (!this.isReplica) this.interrupts.start();
    return trainer;
  }

  /**
   * `--epochs` fewer than a technique of `plan` counts (a snapshot
   * ensemble's cycles) is refused before a trainer opens, or a bagging
   * member starts, leaving the folder as it was found.
   */
  private refuseFewerEpochs(plan: TrainingPlan): void {
    if (this.options.epochs === undefined) return;
    try {
      refuseFewerEpochsThanCounted(plan.techniques, this.options.epochs);
    } catch (error) {
      if (error instanceof TooFewEpochsError) this.leaveAsFound();
      throw error;
    }
  }

  /**
   * A run refused before it trains leaves its folder as it found it: a fresh
   * one's removed (as when its data cannot be read), unless a model trained
   * first is in it; a resumed one's run.json as it was, so that its next
   * resume starts from the options it had.
   */
  private leaveAsFound(): void {
    this.group?.end();
    if (this.isReplica || this.options.member !== undefined) return;
    if (this.recordAsFound) writeRunRecord(this.folder, this.recordAsFound);
    else if (this.pretrainedModels === 0) rmSync(this.folder, { recursive: true, force: true });
  }

  /**
   * The group of replicas, started when the data loads: each replica runs
   * this program in a thread of its own, with rank 0's options, and takes
   * part in each trainer that `trainer` and `pretrainer` open.
   */
  private replicaGroup(): ReplicaGroup {
    if (this.group) return this.group;
    const group = ReplicaGroup.create(this.replicas);
    startReplicaThreads(group, (membership) => ({
      program: this.identity.code,
      options: {
        backend: this.backend,
        threads: this.threads ?? 1,
        seed: this.seed,
        ...(this.options.epochs !== undefined && { epochs: this.options.epochs }),
        ...(this.options.resume !== undefined && { resume: this.folder }),
        replica: {
          ...membership,
          folder: this.folder,
          ...(this.record.specFolder !== undefined && { specFolder: this.record.specFolder }),
          ...(this.options.resume && this.record.data?.sha256 !== undefined && { sha256: this.record.data.sha256 }),
        },
      },
    }));
    this.group = group;
    return group;
  }

  /** Final metrics on every labeled split, the trained weights, metrics.json and report.html. */
  async finish(trainer: Trainer): Promise<RunResult> {
    this.refuseMemberOnly();
    if (this.isReplica) {
      await trainer.finishTraining();
      return { folder: this.folder, backend: this.backend, metrics: { spec: this.identity.spec, backend: this.backend, splits: {} }, history: this.history };
    }
    // Early stopping's second phase trains inside `finish`: Ctrl-C stops it after a step, as in any epoch.
    const { splits, extra, classification, kept } = await trainer.finish();
    this.interrupts.stop();
    await saveKeptWeights(this.folder, kept);
    await this.saveModel(this.folder, [trainer.model], () => predictionPlan(trainer.model, trainer.techniques), trainer.data, trainer.tasks);
    return this.complete(trainer.model, splits, extra, trainer.epochs, classification);
  }

  /** The same for a model solved in closed form (`solver closed_form`): no epochs, one solution. */
  async finishSolved(solved: { model: Model; data: Dataset; tasks: readonly Task[]; solution: RidgeSolution }): Promise<RunResult> {
    this.refuseMemberOnly();
    // Solved in closed form, nothing trains: a replica has nothing to do.
    if (this.isReplica) throw new ReplicaGroupEnded();
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
    await this.saveModel(this.folder, [solved.model], () => predictionPlan(solved.model, []), solved.data, solved.tasks);
    return this.complete(solved.model, splits, { solution: { weight_norm: norm } }, null);
  }

  /** A worker's member is trained and kept in its sub-folder: the run's own files wait for every member. */
  private finishMember(ensemble: Ensemble): RunResult {
    const [member] = ensemble.members;
    const { name: _name, ...metrics } = member!.metrics();
    ensemble.dispose();
    this.progress.finish();
    return { folder: member!.folder, backend: this.backend, metrics: { spec: this.identity.spec, backend: this.backend, ...metrics }, history: this.history };
  }

  private async complete(
    model: Model,
    splits: FinalMetrics["splits"],
    techniqueResults: FinalMetrics["extra"],
    epochs: number | null,
    classification?: FinalMetrics["classification"],
  ): Promise<RunResult> {
    const extra = Object.keys(this.pretrained).length > 0 ? { ...this.pretrained, ...techniqueResults } : techniqueResults;
    const metrics: FinalMetrics = { spec: this.identity.spec, backend: this.backend, splits, ...(extra && { extra }), ...(classification && { classification }) };
    return this.report(metrics, epochs, summarizeModel(model));
  }

  /** `FOLDER/model/`: a stock TensorFlow.js model when it can be one; otherwise the weights, and a message saying why. */
  private async saveModel(folder: string, models: readonly Model[], plan: () => PredictionPlan, data: Dataset, tasks: readonly Task[]): Promise<void> {
    const saved = await saveModelFolder(folder, models, plan, { spec: this.identity.spec, data, tasks });
    if (!saved.standard) this.progress.message(`${join(folder, MODEL_FOLDER)} holds the weights only, not a TensorFlow.js model: ${saved.reason}`);
  }

  /** metrics.json, history.json and report.html, the final metrics on the console, and the run marked finished after `epochs`. */
  private report(metrics: FinalMetrics, epochs: number | null, model?: ModelSummary): RunResult {
    const { splits, extra } = metrics;
    writeMetrics(this.folder, metrics);
    writeHistory(this.folder, this.history);
    writeReport(this.folder, this.history, metrics, {
      title: `${this.identity.spec} — ${basename(this.folder)}`,
      ...(this.options.spec && { specText: this.options.spec.text }),
      ...(this.code !== undefined && { code: this.code }),
      ...(model && { model }),
    });
    // Each split's final metrics, then the results techniques report of their own (accuracy under attack).
    for (const [row, values] of [...Object.entries(splits), ...Object.entries(extra ?? {})]) {
      this.progress.message(`${row}: ${metricPairs(values, "").join("  ")}`);
    }
    this.updateRecord({ finished: { epochs } });
    this.progress.message(`run folder: ${this.folder}`);
    this.progress.finish();
    return { folder: this.folder, backend: this.backend, metrics, history: this.history };
  }

  private saveHistory(epochs: readonly EpochRecord[], stopped: string | undefined): void {
    this.history = { ...this.history, epochs: [...epochs], ...(stopped && { stopped }) };
    writeHistory(this.folder, this.history);
  }

  /** A bagging member's epochs so far, in the run's own history.json beside the other members'. */
  private saveMemberHistory(member: MemberHistory): void {
    const members = (this.history.members ?? []).filter((other) => other.name !== member.name);
    members.push(member);
    members.sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
    this.history = { ...this.history, members };
    writeHistory(this.folder, this.history);
  }

  private updateRecord(change: Partial<RunRecord>): void {
    this.record = { ...this.record, ...change };
    writeRunRecord(this.folder, this.record);
  }

  /** The generated code and the spec, kept beside the results they produced. */
  private keepSources(): void {
    if (this.code !== undefined) writeFileAtomically(join(this.folder, this.options.code?.fileName ?? `${this.identity.name}.ts`), this.code);
    if (this.options.spec) writeFileAtomically(join(this.folder, this.options.spec.fileName), this.options.spec.text);
  }
}

/** The spec the generated program carries, to keep as the file it was compiled from. */
function carriedSpec(identity: RunIdentity): { fileName: string; text: string } | undefined {
  return identity.specText === undefined ? undefined : { fileName: basename(identity.spec), text: identity.specText };
}

/** Weights techniques keep besides the model (snapshots), each in its own sub-folder. */
async function saveKeptWeights(folder: string, kept: ReadonlyMap<string, ReadonlyMap<string, tf.Tensor>>): Promise<void> {
  for (const [name, weights] of kept) await saveTensors(join(folder, name), weights);
}

/**
 * The generated TypeScript: the file at `moduleUrl` when run with tsx, or,
 * for the JavaScript `regc compile` writes beside it (`node out/x.mjs`),
 * that `.ts` or `.mts`; undefined when neither is there.
 */
function generatedSource(moduleUrl: string): { fileName: string; text: string } | undefined {
  const path = fileURLToPath(moduleUrl);
  const candidates = /\.m?ts$/.test(path) ? [path] : path.endsWith(".mjs") ? [path.replace(/\.mjs$/, ".ts"), path.replace(/\.mjs$/, ".mts")] : [];
  const found = candidates.find((candidate) => existsSync(candidate));
  return found === undefined ? undefined : { fileName: basename(found), text: readFileSync(found, "utf8") };
}

function timedSteps(threads: StepThreads): <T>(step: () => T) => T {
  return (step) => threads.run(step);
}

/**
 * The backend, and how many replicas train on it: on wasm, as many as
 * `replicas` asks (one unless asked), each with its share of the threads,
 * at least one. Replicas run the program again in threads of their own,
 * so they need it as a JavaScript file; otherwise, and on every other
 * backend, one replica computes with all the threads, and
 * `withoutReplicas` says why where more than one was asked for, so the run
 * says so rather than train on one without a word.
 */
async function startBackend(requested: string | undefined, options: RunOptions, program: string): Promise<{ backend: string; replicas: number; withoutReplicas?: string }> {
  const threads = options.threads ?? defaultThreadCount();
  const javascript = program.startsWith("file:") && /\.m?js$/.test(program);
  const replicable = javascript && (requested === undefined || requested === "wasm");
  const replicas = replicable ? Math.min(options.replicas ?? 1, MAX_WASM_THREADS) : 1;
  const backend = await selectBackend(requested, shareThreads(threads, replicas));
  // Only wasm takes a thread count, so the replicas' share of the threads matters to no other backend.
  const started = backend === "wasm" ? replicas : 1;
  if ((options.replicas ?? 1) <= 1 || started > 1) return { backend, replicas: started };
  const why = !javascript ? "the program as JavaScript (`regc run`, `node out/NAME.mjs`)" : "the wasm backend";
  return { backend, replicas: started, withoutReplicas: `--replicas ${options.replicas} needs ${why}: this run trains on the ${backend} backend without replicas` };
}
