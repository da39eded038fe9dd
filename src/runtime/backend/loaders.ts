import { createRequire } from "node:module";
import { dirname } from "node:path";

/** The backends reglang can train on, in the order tried when none is asked for. */
export const BACKEND_NAMES = ["tfjs-node-gpu", "tfjs-node", "webgpu", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * Makes one backend the active TensorFlow.js backend, or throws an Error
 * whose message says why it cannot. Every import here is dynamic: loading
 * tfjs costs a third of a second that `regc check` must not pay. `threads`
 * is how many threads the wasm backend computes with.
 */
export async function loadBackend(name: BackendName, threads = 1): Promise<void> {
  switch (name) {
    case "tfjs-node-gpu":
    case "tfjs-node":
      return loadNativeBinding(`@tensorflow/${name}`);
    case "webgpu":
      return (await import("./webgpu.js")).loadWebGpu(activate);
    case "wasm":
      return loadWasm(threads);
    case "cpu":
      return loadCpu();
  }
}

/**
 * tfjs-node and tfjs-node-gpu are optional dependencies whose install script
 * downloads libtensorflow; where that fails npm leaves them out. Either one
 * registers itself as the "tensorflow" backend when imported.
 */
async function loadNativeBinding(packageName: string): Promise<void> {
  try {
    await import(packageName);
  } catch (error) {
    if (isMissingPackage(error, packageName)) {
      throw new Error(
        `${packageName} is not installed (it is optional: its install downloads libtensorflow, ` +
          "which failed or was skipped here)",
      );
    }
    throw new Error(`${packageName} did not load: ${firstLine(error)}`);
  }
  await activate("tensorflow");
}

async function loadWasm(threads: number): Promise<void> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  // Resolved from this module, not from the page's URL as in a browser, so
  // the .wasm files are found from source, from the bundled CLI and from
  // node_modules alike.
  const wasmPackageEntry = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm");
  wasm.setWasmPaths(`${dirname(wasmPackageEntry)}/`);
  await registerWasmWithThreads(wasm, threads);
  const { registerWasmKernels } = await import("./wasm-kernels/register.js");
  registerWasmKernels();
  // Only the threaded build has pools to choose between; on one thread the choice would only cost each kernel a call.
  if (threads > 1) (await import("./kernel-threads.js")).chooseThreadsPerKernel();
  await activate("wasm");
  // A backend kept from an earlier run in this process may have been left on one thread by its timing.
  const pools = (await import("./thread-pools.js")).threadPoolsOf((await import("@tensorflow/tfjs")).backend());
  pools?.use(pools.most);
}

/** The package's own wasm factory (single-threaded in Node), kept to return to after a threaded one. */
let packageWasmFactory: (() => unknown) | undefined;
let registeredWasmThreads = 1;

/**
 * One thread: the package's build. More: its threaded build, loaded by
 * threaded-wasm.ts. A different count than the registered one replaces
 * the wasm backend, and with it every tensor it held (only tests switch).
 */
async function registerWasmWithThreads(wasm: typeof import("@tensorflow/tfjs-backend-wasm"), threads: number): Promise<void> {
  if (threads === registeredWasmThreads) return;
  const tf = await import("@tensorflow/tfjs");
  packageWasmFactory ??= tf.findBackendFactory("wasm") as () => unknown;
  const factory = threads > 1 ? (await import("./threaded-wasm.js")).threadedWasmFactory(wasm, threads) : packageWasmFactory;
  (await import("./wasm-kernels/simd/kernel-workers.js")).stopKernelWorkers();
  tf.removeBackend("wasm");
  tf.registerBackend("wasm", factory as Parameters<typeof tf.registerBackend>[1], WASM_PRIORITY);
  registeredWasmThreads = threads;
}

/** The priority tfjs-backend-wasm registers itself with. */
const WASM_PRIORITY = 2;

/** How many threads the active backend has, where reglang sets it (wasm; a run's timing may then choose one of them); undefined elsewhere. */
export async function threadsInUse(): Promise<number | undefined> {
  const tf = await import("@tensorflow/tfjs");
  if (tf.getBackend() !== "wasm") return undefined;
  const pools = (await import("./thread-pools.js")).threadPoolsOf(tf.backend());
  return pools?.most ?? (await import("@tensorflow/tfjs-backend-wasm")).getThreadsCount();
}

async function loadCpu(): Promise<void> {
  await activate("cpu");
  // The caller reports the backend in use: tfjs's advice to install another is noise.
  (await import("./cpu-greeting.js")).skipCpuGreeting(await import("@tensorflow/tfjs"));
}

/**
 * tf.setBackend reports a failed initialisation only as console warnings and
 * `false`; the first warning after tfjs's own headline is the reason.
 */
async function activate(tfjsBackendName: string): Promise<void> {
  const tf = await import("@tensorflow/tfjs");
  const warnings: string[] = [];
  const consoleWarn = console.warn;
  console.warn = (...parts: unknown[]) => warnings.push(parts.map(String).join(" "));
  let active: boolean;
  try {
    active = await tf.setBackend(tfjsBackendName);
  } finally {
    console.warn = consoleWarn;
  }
  if (!active) {
    const reason = warnings.find((warning) => !/^Initialization of backend .* failed$/.test(warning));
    const why = reason === undefined ? "no reason given" : firstLine(reason);
    throw new Error(`TensorFlow.js backend "${tfjsBackendName}" did not start: ${why}`);
  }
}

function isMissingPackage(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown }).code;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && firstLine(error).includes(packageName);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}
