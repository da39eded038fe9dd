import { createRequire } from "node:module";
import { dirname } from "node:path";

/** The backends reglang can train on, in the order tried when none is asked for. */
export const BACKEND_NAMES = ["tfjs-node-gpu", "tfjs-node", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * Makes one backend the active TensorFlow.js backend, or throws an Error
 * whose message says why it cannot. Every import here is dynamic: loading
 * tfjs costs a third of a second that `regc check` must not pay.
 */
export async function loadBackend(name: BackendName): Promise<void> {
  switch (name) {
    case "tfjs-node-gpu":
    case "tfjs-node":
      return loadNativeBinding(`@tensorflow/${name}`);
    case "wasm":
      return loadWasm();
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

async function loadWasm(): Promise<void> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  // Resolved from this module, not from the page's URL as in a browser, so
  // the .wasm files are found from source, from the bundled CLI and from
  // node_modules alike.
  const wasmPackageEntry = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm");
  wasm.setWasmPaths(`${dirname(wasmPackageEntry)}/`);
  const { registerWasmGradients } = await import("./wasm-kernels/register.js");
  registerWasmGradients();
  await activate("wasm");
}

async function loadCpu(): Promise<void> {
  await activate("cpu");
  // The cpu backend greets its first tensor in Node with advice to install
  // tfjs-node; the caller reports the backend in use, so skip the greeting.
  const cpuBackend = (await import("@tensorflow/tfjs")).backend() as { firstUse?: boolean };
  cpuBackend.firstUse = false;
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
