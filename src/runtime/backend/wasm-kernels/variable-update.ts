import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { TensorInfo } from "@tensorflow/tfjs";
import type { ExportedFunction } from "./simd/assembler.js";
import { addressOf, simdModule } from "./simd/instances.js";
import { runOverRange } from "./simd/kernel-workers.js";

/** From this many values on (a 256 × 256 kernel), an update's parts are split between threads. */
const SPLIT_FROM_VALUES = 1 << 16;
/** A chunk's least size: a cache line. */
const CHUNK_BYTES = 64;

/** An optimizer's one-pass update of a float32 variable of `size` values, as a SIMD function and its JavaScript tail. */
export interface VariableUpdate {
  /** The module's key (simd/instances.ts), its functions, and the one to call. */
  key: string;
  functions: () => readonly ExportedFunction[];
  name: string;
  /** Inputs, then outputs: their addresses come first among the function's arguments. */
  tensors: readonly TensorInfo[];
  /** float32 values passed as their bits after the addresses. */
  scalars: readonly number[];
  /** The values from `from` to the end, fewer than four, in JavaScript with the same roundings. */
  tail: (from: number) => void;
}

/**
 * Runs `update` over a variable of `size` values: the SIMD function over
 * them in fours, split between the kernel workers from 64K values in
 * cache-line chunks, then the last few in JavaScript.
 */
export function updateVariable(backend: BackendWasm, size: number, update: VariableUpdate): void {
  const vectorBytes = Math.floor(size / 4) * 16;
  if (vectorBytes > 0) {
    const compiled = simdModule(backend, update.key, update.functions);
    const fixed = update.tensors.map((tensor) => addressOf(backend, tensor));
    fixed.push(...new Int32Array(new Float32Array(update.scalars).buffer));
    runOverRange(backend, compiled, update.name, fixed, vectorBytes, CHUNK_BYTES, size >= SPLIT_FROM_VALUES);
  }
  if (vectorBytes / 4 < size) update.tail(vectorBytes / 4);
}
