import type * as tf from "@tensorflow/tfjs";

/**
 * TensorFlow.js's cpu backend greets its first tensor in Node with advice
 * to install tfjs-node, printed into its user's output; it has no flag to
 * turn that off but the backend's own `firstUse`. A no-op on any other
 * backend.
 */
export function skipCpuGreeting(tfjs: typeof tf): void {
  if (tfjs.getBackend() !== "cpu") return;
  (tfjs.backend() as { firstUse?: boolean }).firstUse = false;
}
