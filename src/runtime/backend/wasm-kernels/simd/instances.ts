import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { TensorInfo } from "@tensorflow/tfjs";
import { assembleModule, type ExportedFunction } from "./assembler.js";

/** An exported kernel: byte addresses and sizes in, results written to the backend's memory. */
export type SimdFunction = (...parameters: number[]) => void;

/** The Emscripten module behind a wasm backend, as far as these kernels reach into it. */
interface EmscriptenModule {
  /** The threaded build keeps its (shared) memory here… */
  wasmMemory?: WebAssembly.Memory;
  /** …the single-threaded one exports it. */
  asm?: { memory?: WebAssembly.Memory };
}

/** A compiled module of kernels and its instance on one backend's memory. */
export interface SimdModule {
  module: WebAssembly.Module;
  functions: Record<string, SimdFunction>;
}

/** Compiled kernels per backend memory (a new backend has a new one), by the name that says what they are specialized to. */
const instances = new WeakMap<WebAssembly.Memory, Map<string, SimdModule>>();

/**
 * The functions `write` builds, compiled once per backend memory and `key`,
 * working on that memory: addresses are those of {@link addressOf}.
 */
export function simdFunctions(backend: BackendWasm, key: string, write: () => readonly ExportedFunction[]): Record<string, SimdFunction> {
  return simdModule(backend, key, write).functions;
}

/** As {@link simdFunctions}, with the module, which worker threads instantiate on the same (shared) memory. */
export function simdModule(backend: BackendWasm, key: string, write: () => readonly ExportedFunction[]): SimdModule {
  const memory = memoryOf(backend);
  let compiled = instances.get(memory);
  if (compiled === undefined) instances.set(memory, (compiled = new Map()));
  let entry = compiled.get(key);
  if (entry === undefined) {
    const module = new WebAssembly.Module(assembleModule(write(), isShared(memory)));
    entry = { module, functions: new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, SimdFunction> };
    compiled.set(key, entry);
  }
  return entry;
}

/** Whether the memory is shared between threads (the threaded build's). */
export function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
}

/** Where a tensor's data starts in the backend's memory, in bytes. */
export function addressOf(backend: BackendWasm, tensor: TensorInfo): number {
  const data = backend.dataIdMap.get(tensor.dataId);
  if (data === undefined) throw new Error("the tensor has no data on the wasm backend");
  return data.memoryOffset;
}

export function memoryOf(backend: BackendWasm): WebAssembly.Memory {
  const module = backend.wasm as unknown as EmscriptenModule;
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (memory === undefined) throw new Error("the wasm backend's memory is not reachable");
  return memory;
}
