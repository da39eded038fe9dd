import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as WasmPackage from "@tensorflow/tfjs-backend-wasm";
import { threadPoolAddress } from "./thread-pool-address.js";
import { setThreadPools, ThreadPools, type ThreadedModule } from "./thread-pools.js";

/**
 * The threaded SIMD build of @tensorflow/tfjs-backend-wasm (XNNPACK on a
 * pool of pthreads, each a worker thread sharing the wasm memory). The
 * package turns it off in Node (tfjs issue 3830) because its loader hands
 * Emscripten the pthread worker as a Blob URL, which worker_threads cannot
 * start; the build itself runs under Node. This loader starts it with the
 * worker script as a `data:` module instead, and returns a factory for
 * `tf.registerBackend("wasm", …)` whose backend is the package's own
 * `BackendWasm`, so every kernel registered for wasm runs on it unchanged.
 */
export function threadedWasmFactory(wasm: Pick<typeof WasmPackage, "BackendWasm" | "setThreadsCount">, threads: number): () => Promise<WasmPackage.BackendWasm> {
  return async () => {
    // Read by BackendWasm's constructor, which sizes the pool.
    wasm.setThreadsCount(threads);
    const { module, poolAddress } = await instantiate(threads);
    const backend = new wasm.BackendWasm(module);
    const pools = poolAddress === undefined ? undefined : ThreadPools.create(module as unknown as ThreadedModule, poolAddress, threads);
    if (pools) setThreadPools(backend, pools);
    const { PThread } = backend.wasm as unknown as EmscriptenThreads;
    // Each pool thread waits in its worker for work; a waiting worker must not keep the process alive.
    for (const worker of PThread.runningWorkers) worker.unref();
    const dispose = backend.dispose.bind(backend);
    backend.dispose = () => {
      dispose();
      PThread.terminateAllThreads();
    };
    return backend;
  };
}

/** The most threads the build can use: Emscripten creates a pool of 8 workers and XNNPACK's pool takes at most that many. */
export const MAX_WASM_THREADS = 8;

interface EmscriptenThreads {
  PThread: { runningWorkers: Array<{ unref(): void }>; terminateAllThreads(): void };
}

type BackendModule = WasmPackage.BackendWasm["wasm"];

interface EmscriptenModule {
  cwrap(name: string, returns: string | null, parameters: string[]): (...args: number[]) => unknown;
}

const BUILD = "tfjs-backend-wasm-threaded-simd";

async function instantiate(threads: number): Promise<{ module: BackendModule; poolAddress: number | undefined }> {
  const require = createRequire(import.meta.url);
  // The package's `main` is dist/…; the Emscripten builds are in wasm-out/ beside it.
  const buildFolder = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), "..", "wasm-out");
  const mainScript = join(buildFolder, `${BUILD}.js`);
  const factory = require(mainScript) as (config: object) => Promise<EmscriptenModule>;
  const binary = await readFile(join(buildFolder, `${BUILD}.wasm`));
  const module = await factory({
    locateFile: (path: string) => (path.endsWith(".worker.js") ? workerModule(mainScript, join(buildFolder, `${BUILD}.worker.js`)) : join(buildFolder, path)),
    // What each worker evaluates to get the module: this file, by path (tfjs passes a Blob here).
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm(imports: { env: Record<string, unknown> }, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      // The backend sizes its pool as half the logical cores (it assumes two
      // hardware threads per core) and caps the requested count by that.
      imports.env.emscripten_num_logical_cores = () => 2 * threads;
      WebAssembly.instantiate(binary, imports as WebAssembly.Imports).then(({ instance, module }) => receive(instance, module));
      return {};
    },
  });
  return { module: Object.assign(module, { tfjs: bridge(module) }) as unknown as BackendModule, poolAddress: threadPoolAddress(binary) };
}

/**
 * The pthread worker: the package ships its script as a string
 * (`wasmWorkerContents`) written for a Blob, whose newlines inside string
 * literals must stay escaped. It expects CommonJS's `require` and
 * `__filename`, which a `data:` module makes for itself.
 */
function workerModule(mainScript: string, workerScript: string): URL {
  const source = [
    'import { createRequire } from "node:module";',
    `const require = createRequire(${JSON.stringify(mainScript)});`,
    `const __filename = ${JSON.stringify(mainScript)};`,
    `eval(require(${JSON.stringify(workerScript)}).wasmWorkerContents.replace(/\\n/g, "\\\\n"));`,
  ].join("\n");
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/** The functions tfjs's own loader wraps (tfjs-backend-wasm's `init`), which BackendWasm calls. */
function bridge(module: EmscriptenModule): Record<string, unknown> {
  return {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
}
