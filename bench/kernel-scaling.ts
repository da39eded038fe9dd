// The work a training step splits between threads, timed alone in this
// process on one thread and on all cores of the wasm backend, alternating
// round by round: example A's products at its batch of 32 (the forward
// pass's x·W and the backward pass's xᵀ·dy of its first layer, dy·Wᵀ of its
// second) and SGD with momentum's update of all its weights; example B's
// convolutions at its batch of 64 (each layer's forward pass with its bias
// and relu, and the second layer's filter and input gradients). Nothing
// else of a step is in them, so their ratio is what the cores give the
// split work itself, which bounds what a whole step on all cores can reach.
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
  call: () => void;
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

function sample(useThreads: () => void, kernel: Kernel): number {
  useThreads();
  return time(() => {
    for (let call = 0; call < CALLS; call++) kernel.call();
  });
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
    { label: `x·W ${BATCH}×${inputs}·${inputs}×${hidden}`, call: freed(() => tf.matMul(x, w1)) },
    { label: "xᵀ·dy", call: freed(() => tf.matMul(x, dy, true, false)) },
    { label: `dy·Wᵀ ${BATCH}×${hidden}·${hidden}×${hidden}`, call: freed(() => tf.matMul(dy, w2, false, true)) },
    { label: `momentum update of ${(weights.reduce((total, weight) => total + weight.size, 0) / 1000).toFixed(0)}K weights`, call: () => optimizer.applyGradients(gradients) },
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
    { label: "conv 28×28×1 → 16", call: freed(() => conv(digits, filters1)) },
    { label: "conv 13×13×16 → 32", call: freed(() => conv(pooled, filters2)) },
    { label: "its filter and input gradients", call: freed(() => gradients([pooled, filters2], dy)) },
  ];
}
