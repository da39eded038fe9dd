// Training throughput (samples/s) of the code `regc compile` writes, against
// what a tfjs user writes by hand, against the `cpu` backend, and against
// PyTorch on the same CPU, with and without techniques, at one thread and on
// all cores (ours as threads of one backend and as replicas, the better
// shown). Steady state only: data loading, compilation and warm-up rounds
// (a second's worth) are outside the timings;
// each figure is a median of rounds. On one thread, rates are also taken
// per second of the process's CPU time, which other load on a shared
// machine hardly moves.
import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { check, hasErrors } from "../src/compiler/index.js";
import { emitTypeScript } from "../src/compiler/emit/emit.js";
import { selectBackend, threadsInUse } from "../src/runtime/backend/select.js";
import { MAX_WASM_THREADS } from "../src/runtime/backend/threaded-wasm.js";
import { loadData } from "../src/runtime/data/load.js";
import type * as Runtime from "../src/runtime/index.js";
import type { RunServices } from "../src/runtime/train/trainer.js";
import { runEpochRates, writeShortSpec } from "./regc-run-rates.js";
import { median } from "./stats.js";

const SPEC_A = "examples/a-mlp-dropout-maxnorm.reg";
const SPEC_B = "examples/b-convnet-adversarial-tangent.reg";
const TARGET_GENERATED_RATIO = 0.95;
/** Timed rounds after one warm-up round; a round is one `trainEpoch` over the train rows in use. */
const ROUNDS = 5;
/**
 * Warm-up rounds last at least this long (both sides' together where two
 * are compared): V8 compiles the code they run (a new backend's, on all
 * cores) on a thread of its own for about that long, which takes a core
 * from the rounds it overlaps.
 */
const WARM_UP_SECONDS = 1;
/** Epochs of a replicated `regc run` left out as its warm-up: an epoch is a round. */
const REPLICA_WARM_UP_EPOCHS = 3;
/** Train rows a round: the first of each example's train split (A: 20 steps of 32; B: 10 steps of 64 on wasm, one on the slow `cpu`). */
const MLP_ROWS = 640;
const CNN_ROWS_WASM = 640;
const CNN_ROWS_CPU = 64;
const CPU_ROUNDS = 2;
const PYTHON = "/usr/bin/python3";
const REGULARIZE_BLOCK = /^regularize[^\n]*\{[\s\S]*?^\}\n?/m;

/** A round: trains once over the rows, returns the samples it saw. */
type Round = () => Promise<number>;

/** Samples per second of wall-clock time and of this process's CPU time. */
interface Rate {
  wall: number;
  cpu: number;
}

export async function benchTraining(root: string): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "reglang-bench-training-"));
  try {
    await selectBackend("wasm");
    const runtime = (await import(pathToFileURL(join(root, "dist", "runtime.js")).href)) as typeof Runtime;
    const programs = new Programs(root, folder, runtime);
    const textA = readFileSync(join(root, SPEC_A), "utf8");
    const textB = readFileSync(join(root, SPEC_B), "utf8");
    // Example A without its maxnorm and l2 clauses (early_stop acts only between epochs).
    const dropoutOnly = textA.replace(/^[ \t]*(maxnorm|l2)\(.*\n/gm, "");
    // Example B's techniques (augment, fgsm, tangent_prop, …) are left out: this times its conv net.
    const convOnly = textB.replace(REGULARIZE_BLOCK, "");
    // Example B's conv net with two of its techniques: augmentation and FGSM adversarial training.
    const withTechniques = textB.replace(REGULARIZE_BLOCK, (block) => block.replace(/^[ \t]+(?!augment\(|fgsm\()\w+\(.*\n/gm, ""));
    const techniques = torchTechniques(withTechniques);
    if (dropoutOnly === textA || convOnly === textB || !techniques) throw new Error(`${SPEC_A} or ${SPEC_B} changed shape: update bench/training.ts`);

    console.log(`training throughput on real MNIST digits (samples/s, median of ${ROUNDS} rounds after a warm-up; ${cpus().length} cores):`);
    const plainPlan = withTrainRows(await programs.plan("a-dropout-only.reg", dropoutOnly), MLP_ROWS);
    const fullPlan = withTrainRows(await programs.plan("a-mlp-dropout-maxnorm.reg", textA), MLP_ROWS);
    console.log(`  generated code vs a hand-written tfjs loop, same model, data and batch, wasm backend (${MLP_ROWS / plainPlan.batch} steps a round):`);
    const plainRounds = [trainerRound(runtime, plainPlan), handMlpRound(plainPlan, false)] as const;
    const fullRounds = [trainerRound(runtime, fullPlan), handMlpRound(fullPlan, true)] as const;
    const [mlpGenerated] = await compare("example A MLP, dropout", ...plainRounds);
    await compare("  + maxnorm(3), l2(1e-5)", ...fullRounds);
    console.log(`  (aim for generated ≥ ${TARGET_GENERATED_RATIO}× hand-written)`);
    const steps = MLP_ROWS / plainPlan.batch;
    const [plainCounts, fullCounts] = [await kernelCounts(plainRounds, steps), await kernelCounts(fullRounds, steps)];
    console.log(`  tfjs engine calls a step (tf.profile; saved tensors' clones and the backward pass included), generated / hand-written:`);
    console.log(`    example A MLP, dropout ${plainCounts}   + maxnorm(3), l2(1e-5) ${fullCounts}`);

    console.log(`  example B conv net (no techniques), wasm with reglang's kernels vs cpu:`);
    const cnnWasmPlan = withTrainRows(await programs.plan("b-conv-only.reg", convOnly), CNN_ROWS_WASM);
    const cnnWasm = await rate(trainerRound(runtime, cnnWasmPlan));
    const techniquesPlan = withTrainRows(await programs.plan("b-augment-fgsm.reg", withTechniques), CNN_ROWS_WASM);
    const cnnTechniques = await rate(trainerRound(runtime, techniquesPlan));
    await selectBackend("cpu");
    // Built and loaded again so the model's variables and the data live on cpu.
    const cnnCpuPlan = withTrainRows(await programs.plan("b-conv-only.reg", convOnly), CNN_ROWS_CPU);
    const cnnCpu = await rate(trainerRound(runtime, cnnCpuPlan), CPU_ROUNDS);
    await tf.setBackend("wasm");
    row("wasm", cnnWasm.wall, `${CNN_ROWS_WASM / cnnWasmPlan.batch} steps a round`);
    row("cpu", cnnCpu.wall, `${CNN_ROWS_CPU / cnnCpuPlan.batch} step a round, median of ${CPU_ROUNDS}`);
    console.log(`    ratio                        ${(cnnWasm.wall / cnnCpu.wall).toFixed(1)}× wasm/cpu`);

    const items: TorchItem[] = [
      { name: "mlp", model: "mlp", label: "example A MLP, dropout", ours: mlpGenerated, plan: plainPlan, text: dropoutOnly },
      { name: "cnn", model: "cnn", label: "example B conv net", ours: cnnWasm, plan: cnnWasmPlan, text: convOnly },
      { name: "cnn-techniques", model: "cnn", label: "  + augment, fgsm", ours: cnnTechniques, plan: techniquesPlan, text: withTechniques, ...techniques },
    ];
    // PyTorch first: its data is read from the one-thread backend, which the all-cores rows replace.
    const torch = torchRates(root, folder, items);
    const allCores = await oursAllCores(root, folder, programs, items);
    printVersusTorch(items, torch, allCores);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Compiles a spec as `regc run` does (check, emit, transpile, point
 * `reglang/runtime` at dist/runtime.js) and runs its `main` only as far as
 * the plan it builds, which {@link Trainer} then trains directly.
 */
export class Programs {
  private readonly datasets = new Map<string, Promise<Runtime.Dataset>>();

  constructor(
    private readonly root: string,
    private readonly folder: string,
    readonly runtime: typeof Runtime,
  ) {}

  async plan(fileName: string, text: string): Promise<Runtime.TrainingPlan> {
    const specPath = join(this.root, "examples", fileName);
    const checked = check(text, { path: specPath });
    if (hasErrors(checked.diagnostics)) throw new Error(`${fileName}: ${checked.diagnostics.map((d) => d.message).join("; ")}`);
    const emitted = await emitTypeScript({ checked, text, specPath, outDir: this.folder });
    if (!emitted.ok) throw new Error(`${fileName} does not compile: ${emitted.diagnostics.map((d) => d.message).join("; ")}`);
    const { ts } = await import("ts-morph");
    const runtimeUrl = pathToFileURL(join(this.root, "dist", "runtime.js")).href;
    const javascript = ts
      .transpileModule(emitted.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
      .outputText.replace(/from "reglang\/runtime"/g, `from ${JSON.stringify(runtimeUrl)}`);
    const modulePath = join(this.folder, `${fileName}.${await backendKey()}.mjs`);
    writeFileSync(modulePath, javascript);
    const program = (await import(pathToFileURL(modulePath).href)) as { main(): Promise<unknown> };
    return this.capturePlan(program);
  }

  /** Calls the program's `main` with a stand-in for `Run` that loads data (once per data spec and backend) and keeps the plan. */
  private async capturePlan(program: { main(): Promise<unknown> }): Promise<Runtime.TrainingPlan> {
    const Run = this.runtime.Run as unknown as { start: unknown };
    const start = Run.start;
    let plan: Runtime.TrainingPlan | undefined;
    const planned = new Error("plan captured");
    Run.start = async (identity: { seed: number }) => ({
      seed: identity.seed,
      load: async (spec: Runtime.DataSpec) => {
        const key = `${await backendKey()} ${JSON.stringify(spec)}`;
        if (!this.datasets.has(key)) this.datasets.set(key, loadData(spec));
        return this.datasets.get(key)!;
      },
      trainer: async (captured: Runtime.TrainingPlan) => {
        plan = captured;
        throw planned;
      },
    });
    try {
      await program.main();
    } catch (error) {
      if (error !== planned) throw error;
    } finally {
      Run.start = start;
    }
    if (!plan) throw new Error("the generated main never asked for a trainer");
    return plan;
  }
}

/** The active backend and its threads: a backend started anew holds none of the tensors loaded before. */
async function backendKey(): Promise<string> {
  return `${tf.getBackend()}-${(await threadsInUse()) ?? 1}`;
}

const QUIET_RUN: RunServices = {
  folder: tmpdir(),
  progress: { epochStart() {}, step() {}, epochEnd() {}, message() {} },
  interruptRequested: () => false,
  saveCheckpoint: async () => {},
  saveHistory: async () => {},
};

/** One `Trainer.trainEpoch` a round: exactly the loop body the generated `main` runs. */
export function trainerRound(runtime: typeof Runtime, plan: Runtime.TrainingPlan): Round {
  const trainer = new runtime.Trainer(plan, QUIET_RUN, 1_000_000);
  let epoch = 0;
  return async () => {
    await trainer.trainEpoch(++epoch);
    return plan.data.splits.train!.rows;
  };
}

/** The plan with only the first `rows` train rows, to time a few steps. */
export function withTrainRows(plan: Runtime.TrainingPlan, rows: number): Runtime.TrainingPlan {
  const train = plan.data.splits.train!;
  const targets = Object.fromEntries(Object.entries(train.targets).map(([name, t]) => [name, t.slice(0, rows)]));
  return { ...plan, data: { ...plan.data, splits: { train: { name: "train", rows, x: train.x.slice(0, rows), targets } } } };
}

/**
 * Example A's MLP as a tfjs user writes it: their own dense layers,
 * tf.dropout, tf.losses.softmaxCrossEntropy, optimizer.minimize with SGD
 * momentum, the loss read back every step; with `penalties`, l2 added to
 * the loss and max-norm applied to each kernel after each step.
 */
function handMlpRound(plan: Runtime.TrainingPlan, penalties: boolean): Round {
  const train = plan.data.splits.train!;
  const x = train.x;
  const labels = train.targets["label"]!;
  const [, height, width, channels] = x.shape as number[];
  const inputs = height! * width! * channels!;
  const dense = (fanIn: number, units: number, seed: number) => {
    const limit = Math.sqrt(6 / (fanIn + units));
    return { kernel: tf.variable(tf.randomUniform([fanIn, units], -limit, limit, "float32", seed)), bias: tf.variable(tf.zeros([units])) };
  };
  const layers = [dense(inputs, 512, 1), dense(512, 512, 2), dense(512, 10, 3)];
  const kernels = layers.map((layer) => layer.kernel);
  const variables = layers.flatMap((layer) => [layer.kernel, layer.bias]);
  const optimizer = tf.train.momentum(0.01, 0.9);
  const maxNorm = () => {
    for (const kernel of kernels) {
      tf.tidy(() => {
        const norms = tf.sqrt(tf.sum(tf.square(kernel), 0, true));
        kernel.assign(tf.mul(kernel, tf.minimum(1, tf.div(3, tf.maximum(norms, 1e-12)))));
      });
    }
  };
  if (penalties) maxNorm();
  const forward = (batch: tf.Tensor) => {
    let h = tf.reshape(batch, [-1, inputs]);
    h = tf.dropout(tf.relu(tf.add(tf.matMul(h, layers[0]!.kernel), layers[0]!.bias)), 0.5);
    h = tf.dropout(tf.relu(tf.add(tf.matMul(h, layers[1]!.kernel), layers[1]!.bias)), 0.5);
    return tf.add(tf.matMul(h, layers[2]!.kernel), layers[2]!.bias);
  };
  const order = Int32Array.from({ length: train.rows }, (_, i) => i);
  return async () => {
    tf.util.shuffle(order);
    for (let start = 0; start < order.length; start += plan.batch) {
      const [xs, ys] = tf.tidy(() => {
        const index = tf.tensor1d(order.subarray(start, start + plan.batch), "int32");
        return [tf.gather(x, index), tf.oneHot(tf.gather(labels, index) as tf.Tensor1D, 10)];
      });
      const cost = optimizer.minimize(
        () => {
          const loss = tf.losses.softmaxCrossEntropy(ys!, forward(xs!));
          return (penalties ? tf.add(loss, tf.mul(1e-5, tf.addN(kernels.map((k) => tf.sum(tf.square(k)))))) : loss) as tf.Scalar;
        },
        true,
        variables,
      )!;
      cost.dataSync();
      tf.dispose([cost, xs!, ys!]);
      if (penalties) maxNorm();
    }
    return train.rows;
  };
}

/** Samples/s of each side, rounds interleaved so both see the same machine; prints the row and the ratio. */
async function compare(label: string, generated: Round, hand: Round): Promise<[Rate, Rate]> {
  const samples: [Rate[], Rate[]] = [[], []];
  const sides = [generated, hand];
  // Both sides warm up as a rate taken alone does: one round each left V8 compiling the first side's code through its timed rounds.
  const started = performance.now();
  do for (const side of sides) await side();
  while (performance.now() - started < WARM_UP_SECONDS * 1000);
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 ? [1, 0] : [0, 1]) samples[side]!.push(await timed(sides[side]!));
  }
  const [ours, theirs] = samples.map(medianRate) as [Rate, Rate];
  console.log(
    `    ${label.padEnd(26)}  generated ${fmt(ours.wall)}  hand-written ${fmt(theirs.wall)}  ratio ${(ours.wall / theirs.wall).toFixed(2)}×` +
      `  (per CPU-second: ${(ours.cpu / theirs.cpu).toFixed(2)}×)`,
  );
  return [ours, theirs];
}

/**
 * Kernels the engine runs a step on each side, as tf.profile lists them:
 * each costs JavaScript on the thread that runs tfjs, whatever the
 * kernel's own work, so the count bounds what more threads can take.
 */
async function kernelCounts(sides: readonly [Round, Round], steps: number): Promise<string> {
  const counts: number[] = [];
  for (const side of sides) {
    const profile = await tf.profile(async () => void (await side()));
    counts.push(Math.round(profile.kernels.length / steps));
  }
  return counts.join(" / ");
}

async function rate(round: Round, rounds = ROUNDS): Promise<Rate> {
  const started = performance.now();
  do await round();
  while (performance.now() - started < WARM_UP_SECONDS * 1000);
  const rates: Rate[] = [];
  for (let i = 0; i < rounds; i++) rates.push(await timed(round));
  return medianRate(rates);
}

async function timed(round: Round): Promise<Rate> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const seen = await round();
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: (seen * 1000) / (performance.now() - started), cpu: (seen * 1e6) / (cpu.user + cpu.system) };
}

function medianRate(rates: readonly Rate[]): Rate {
  return { wall: median(rates.map((r) => r.wall)), cpu: median(rates.map((r) => r.cpu)) };
}

function row(label: string, samplesPerSecond: number, note: string): void {
  console.log(`    ${label.padEnd(26)}  ${fmt(samplesPerSecond)} samples/s  (${note})`);
}

function fmt(samplesPerSecond: number): string {
  return Math.round(samplesPerSecond).toLocaleString("en").padStart(6);
}

/** The augment and fgsm options of a spec, for PyTorch to apply the same; undefined when the clauses changed shape. */
function torchTechniques(text: string): Pick<TorchItem, "augment" | "fgsm"> | undefined {
  const augment = /augment\(rotate: ([\d.]+)deg, translate: ([\d.]+)px, scale: \[([\d.]+), ([\d.]+)\]\)/.exec(text);
  const fgsm = /fgsm\(eps: ([\d.]+), weight: ([\d.]+)\)/.exec(text);
  if (!augment || !fgsm) return undefined;
  const [rotate, translate, low, high] = augment.slice(1).map(Number) as [number, number, number, number];
  return { augment: { rotate, translate, scale: [low, high] }, fgsm: { eps: Number(fgsm[1]), weight: Number(fgsm[2]) } };
}

interface TorchItem {
  name: string;
  model: "mlp" | "cnn";
  label: string;
  /** Our samples/s (generated code, wasm, one thread), measured above. */
  ours: Rate;
  plan: Runtime.TrainingPlan;
  /** The spec the plan was built from, to build it again on all cores. */
  text: string;
  augment?: { rotate: number; translate: number; scale: [number, number] };
  fgsm?: { eps: number; weight: number };
}

/** PyTorch's samples/s by item and thread count, or why there are none. */
type TorchRates = { version: string; rates: Record<string, Record<string, Rate>> } | { skipped: string };

/**
 * The same models, data, batch sizes, optimizers and techniques in PyTorch
 * on the same CPU, via bench/torch_throughput.py, at one thread and at all
 * cores; skipped where `import torch` fails.
 */
function torchRates(root: string, folder: string, items: readonly TorchItem[]): TorchRates {
  const probe = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  if (probe.status !== 0) {
    return { skipped: `${probe.error ? `${PYTHON} not found` : `${PYTHON} cannot import torch`}; on Debian: apt-get install python3-torch` };
  }
  const meta = {
    threads: [...new Set([1, cpus().length])],
    rounds: ROUNDS,
    items: items.map(({ name, model, plan, augment, fgsm }) => {
      const train = plan.data.splits.train!;
      writeFileSync(join(folder, `${name}-x.f32`), train.x.dataSync() as Float32Array);
      writeFileSync(join(folder, `${name}-y.i32`), train.targets["label"]!.dataSync() as Int32Array);
      return { name, model, rows: train.rows, shape: train.x.shape.slice(1), batch: plan.batch, range: plan.data.inputRange, augment, fgsm };
    }),
  };
  writeFileSync(join(folder, "meta.json"), JSON.stringify(meta));
  const run = spawnSync(PYTHON, [join(root, "bench", "torch_throughput.py"), folder], { encoding: "utf8" });
  if (run.status !== 0) return { skipped: `failed (exit ${run.status}): ${run.stderr.trim().split("\n").pop()}` };
  return JSON.parse(run.stdout) as { version: string; rates: Record<string, Record<string, Rate>> };
}

/** Our samples/s on all cores (up to what wasm uses), both ways, for one item. */
interface AllCores {
  cores: number;
  threads: number;
  replicas: number;
}

/**
 * Each item's rate on all cores (up to what wasm uses), two ways: as
 * threads of one wasm backend, timed as the one-thread rows are (rounds of
 * `trainEpoch` over the same rows, in this process); and as data-parallel
 * replicas, one thread each. Replicas are threads the generated program
 * starts itself, so they are timed through `regc run` of the same spec with
 * as many train rows: the training seconds it records for each epoch (its
 * steps only, as a round here), the first epoch a warm-up, as many timed
 * as there are rounds. Undefined on one core.
 */
async function oursAllCores(root: string, folder: string, programs: Programs, items: readonly TorchItem[]): Promise<AllCores[] | undefined> {
  const cores = Math.min(availableParallelism(), MAX_WASM_THREADS);
  if (cores === 1) return undefined;
  await selectBackend("wasm", cores);
  const threaded: number[] = [];
  for (const { name, plan, text } of items) {
    const rows = plan.data.splits.train!.rows;
    threaded.push((await rate(trainerRound(programs.runtime, withTrainRows(await programs.plan(`${name}.reg`, text), rows)))).wall);
  }
  // Back to one thread: this process idles while the replicas below train.
  await selectBackend("wasm");
  const replicated: number[] = [];
  for (const { name, plan, text } of items) {
    const rows = plan.data.splits.train!.rows;
    const spec = writeShortSpec(folder, `${name}.reg`, text, rows);
    const way = { label: `${cores} replicas`, threads: cores, replicas: cores };
    replicated.push(median(await runEpochRates(root, join(folder, `runs-${name}`), spec, way, ROUNDS + REPLICA_WARM_UP_EPOCHS, rows, REPLICA_WARM_UP_EPOCHS)));
  }
  return items.map((_, index) => ({ cores, threads: threaded[index]!, replicas: replicated[index]! }));
}

/** Per item, a line at one thread and one at all cores: ours, and PyTorch's with the ratio where it ran. */
function printVersusTorch(items: readonly TorchItem[], torch: TorchRates, allCores: AllCores[] | undefined): void {
  if ("skipped" in torch) console.log(`  reglang (generated code, wasm); PyTorch skipped (${torch.skipped}):`);
  else console.log(`  reglang (generated code, wasm) vs PyTorch ${torch.version} CPU, same model, data, batch and techniques:`);
  const versus = (ours: number, theirs: Rate | undefined) => (theirs ? `  torch ${fmt(theirs.wall)}  ratio ${(ours / theirs.wall).toFixed(2)}×` : "");
  items.forEach(({ name, label, ours }, index) => {
    const rates = "skipped" in torch ? undefined : torch.rates[name];
    const one = rates?.["1"];
    const perCpuSecond = one ? `  (per CPU-second: ours ${fmt(ours.cpu).trim()}, torch ${fmt(one.cpu).trim()}, ratio ${(ours.cpu / one.cpu).toFixed(2)}×)` : "";
    console.log(`    ${label.padEnd(26)}  ${"1 thread:".padEnd(10)} ours ${fmt(ours.wall)}${versus(ours.wall, one)}${perCpuSecond}`);
    const all = allCores?.[index];
    if (!all) return;
    const cores = cpus().length;
    const best = all.replicas > all.threads ? { way: `${all.cores} replicas`, rate: all.replicas } : { way: `${all.cores} threads`, rate: all.threads };
    console.log(
      `    ${"".padEnd(26)}  ${`${cores} cores:`.padEnd(10)} ours ${fmt(best.rate)}${versus(best.rate, rates?.[String(cores)])}` +
        `  (ours, all cores: ${best.way}, ${(best.rate / ours.wall).toFixed(2)}× ours on 1 thread; ${all.cores} threads ${fmt(all.threads).trim()}, ${all.cores} replicas ${fmt(all.replicas).trim()})`,
    );
  });
  console.log("  (aim for ours ≥ 1.0× torch at equal threads)");
}
