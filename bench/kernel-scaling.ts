// The work a training step splits between threads, timed alone in this
// process on one thread and on all cores of the wasm backend, alternating
// round by round: example A's products at its batch of 32 (the forward
// pass's x·W and the backward pass's xᵀ·dy of its first layer, dy·Wᵀ of its
// second) and SGD with momentum's update of all its weights; example B's
// convolutions at its batch of 64 (each layer's forward pass with its bias
// and relu, and the second layer's filter and input gradients). Nothing
// else of a step is in them, so their ratio is what the cores give the
// split work itself, which bounds what a whole step on all cores can reach.
// A product's right operand and a convolution's filter are new at every
// call, as a step's weights and gradients are: XNNPACK keeps a right
// operand it has seen packed (wasm-kernels/batch-mat-mul.ts), which a
// training step never meets.
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../src/runtime/backend/select.js";
import { threadPoolsOf } from "../src/runtime/backend/thread-pools.js";
import { FusedMomentumOptimizer } from "../src/runtime/train/fused-momentum.js";
import { median, time } from "./stats.js";

const ROUNDS = 15;
/** Calls a sample: about 10 ms of work on one thread, so a sample is far above the timer's grain. */
const CALLS = 20;
const BATCH = 32;
/** Example A's layers: 784 → 512 → 512 → 10. */
const LAYERS = [784, 512, 512, 10] as const;
const CONV_BATCH = 64;

interface Kernel {
  label: string;
  /** One sample's calls, made before it is timed, and what frees what they were made with. */
  sampleCalls: () => { calls: Array<() => void>; free: () => void };
}

/** Prints each kernel's all-cores rate over its one-thread rate, the median of the rounds' ratios. */
export async function benchKernelScaling(cores: number): Promise<void> {
  await selectBackend("wasm", cores);
  const pools = threadPoolsOf(tf.backend());
  if (pools === undefined || pools.most < 2) {
    console.log("    kernels alone: skipped (the threaded wasm build's pool has one thread, or could not be switched)");
    return;
  }
  const most = pools.most;
  try {
    // Synchronous throughout, so one tidy frees every tensor; the weights and the optimizer's momenta are variables.
    const examples = tf.tidy(() => {
      const examples = [
        { label: "example A", kernels: exampleAKernels() },
        { label: "example B", kernels: exampleBKernels() },
      ];
      const kernels = examples.flatMap((example) => example.kernels);
      const ratios = new Map(kernels.map((kernel) => [kernel, [] as number[]]));
      for (let round = -1; round < ROUNDS; round++) {
        for (const kernel of kernels) {
          const order = round % 2 ? [1, most] : [most, 1];
          const millis = new Map(order.map((threads) => [threads, sample(() => pools.use(threads), kernel)]));
          // Round -1 warms up: V8 compiles, the workers start.
          if (round >= 0) ratios.get(kernel)!.push(millis.get(1)! / millis.get(most)!);
        }
      }
      return examples.map(({ label, kernels }) => ({ label, cells: kernels.map((kernel) => `${kernel.label} ${median(ratios.get(kernel)!).toFixed(2)}×`) }));
    });
    console.log(`    kernels alone, ${most} threads vs 1 (median of ${ROUNDS} alternating rounds):`);
    for (const { label, cells } of examples) console.log(`      ${label.padEnd(18)}  ${cells.join("  ")}`);
  } finally {
    pools.use(most);
    tf.disposeVariables();
  }
}

/** A call that frees every tensor it makes. */
function freed(run: () => tf.TensorContainer): () => void {
  return () => tf.tidy(() => {
    run();
  });
}

/** A call on a new copy of `operand` in every place of a sample, the copies made before it is timed. */
function onNewCopies(operand: tf.Tensor, run: (copy: tf.Tensor) => tf.TensorContainer): Kernel["sampleCalls"] {
  return () => {
    const copies = Array.from({ length: CALLS }, () => tf.add(operand, 0));
    return { calls: copies.map((copy) => freed(() => run(copy))), free: () => tf.dispose(copies) };
  };
}

function sample(useThreads: () => void, kernel: Kernel): number {
  useThreads();
  const { calls, free } = kernel.sampleCalls();
  const millis = time(() => {
    for (const call of calls) call();
  });
  free();
  return millis;
}

function exampleAKernels(): Kernel[] {
  const [inputs, hidden] = LAYERS;
  const x = tf.randomNormal([BATCH, inputs], 0, 1, "float32", 1);
  const w1 = tf.randomNormal([inputs, hidden], 0, 0.05, "float32", 2);
  const w2 = tf.randomNormal([hidden, hidden], 0, 0.05, "float32", 3);
  const dy = tf.randomNormal([BATCH, hidden], 0, 1, "float32", 4);
  const weights = LAYERS.slice(1).map((units, index) => tf.variable(tf.zeros([LAYERS[index]!, units]), true, `w${index}`));
  const gradients = Object.fromEntries(weights.map((weight, index) => [`w${index}`, tf.onesLike(weight)]));
  const optimizer = new FusedMomentumOptimizer(0.01, 0.9);
  return [
    { label: `x·W ${BATCH}×${inputs}·${inputs}×${hidden}`, sampleCalls: onNewCopies(w1, (w) => tf.matMul(x, w)) },
    { label: "xᵀ·dy", sampleCalls: onNewCopies(dy, (gradient) => tf.matMul(x, gradient, true, false)) },
    { label: `dy·Wᵀ ${BATCH}×${hidden}·${hidden}×${hidden}`, sampleCalls: onNewCopies(w2, (w) => tf.matMul(dy, w, false, true)) },
    {
      label: `momentum update of ${(weights.reduce((total, weight) => total + weight.size, 0) / 1000).toFixed(0)}K weights`,
      sampleCalls: () => ({ calls: Array.from({ length: CALLS }, () => () => optimizer.applyGradients(gradients)), free: () => {} }),
    },
  ];
}

/** Example B's conv layers: 28×28×1 → 3×3 conv, 16 filters → 2×2 max-pool → 3×3 conv, 32 filters. */
function exampleBKernels(): Kernel[] {
  const digits = tf.randomNormal([CONV_BATCH, 28, 28, 1], 0, 1, "float32", 5) as tf.Tensor4D;
  const pooled = tf.randomNormal([CONV_BATCH, 13, 13, 16], 0, 1, "float32", 6) as tf.Tensor4D;
  const filters1 = tf.randomNormal([3, 3, 1, 16], 0, 0.3, "float32", 7) as tf.Tensor4D;
  const filters2 = tf.randomNormal([3, 3, 16, 32], 0, 0.1, "float32", 8) as tf.Tensor4D;
  const dy = tf.randomNormal([CONV_BATCH, 11, 11, 32], 0, 1, "float32", 9) as tf.Tensor4D;
  const conv = (x: tf.Tensor4D, filter: tf.Tensor4D) => tf.fused.conv2d({ x, filter, strides: 1, pad: "valid", bias: tf.zeros([filter.shape[3]]), activation: "relu" });
  const gradients = tf.grads((x: tf.Tensor, filter: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, "valid"));
  return [
    { label: "conv 28×28×1 → 16", sampleCalls: onNewCopies(filters1, (filter) => conv(digits, filter as tf.Tensor4D)) },
    { label: "conv 13×13×16 → 32", sampleCalls: onNewCopies(filters2, (filter) => conv(pooled, filter as tf.Tensor4D)) },
    { label: "its filter and input gradients", sampleCalls: onNewCopies(filters2, (filter) => gradients([pooled, filter], dy)) },
  ];
}
