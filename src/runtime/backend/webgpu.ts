import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/**
 * The WebGPU backend in Node: the optional `webgpu` package (Google's Dawn,
 * its binary inside the package) gives a `navigator.gpu`, on which
 * @tensorflow/tfjs-backend-webgpu runs. It ships every kernel reglang
 * trains with, the gradients that wasm lacks included (test/runtime/
 * webgpu.test.ts holds them to the cpu backend's where an adapter exists).
 */
export async function loadWebGpu(activate: (tfjsBackendName: string) => Promise<void>): Promise<void> {
  const problem = await webGpuProblem();
  if (problem !== undefined) throw new Error(problem);
  const webgpuEntry = resolveOptional("webgpu");
  // Imported by path: a bundler must leave the package, and its native binary, where it is installed.
  const { create, globals } = (await import(pathToFileURL(webgpuEntry).href)) as { create(flags: string[]): object; globals: object };
  // GPUBufferUsage and the other constants tfjs reads as globals, as in a browser.
  Object.assign(globalThis, globals);
  provideNavigatorGpu(create([]));
  // It registers its backend on import, only where navigator.gpu exists.
  await import("@tensorflow/tfjs-backend-webgpu");
  await activate("webgpu");
}

/** Why the webgpu backend cannot start here (a package missing, no adapter); undefined when it can. */
export async function webGpuProblem(): Promise<string | undefined> {
  let webgpuEntry: string;
  try {
    webgpuEntry = resolveOptional("webgpu");
    resolveOptional("@tensorflow/tfjs-backend-webgpu");
  } catch (error) {
    return (error as Error).message;
  }
  return adapterProblem(webgpuEntry);
}

function resolveOptional(packageName: string): string {
  try {
    return createRequire(import.meta.url).resolve(packageName);
  } catch {
    throw new Error(`${packageName} is not installed (it is optional)`);
  }
}

/** Node 20 has no `navigator`; later versions have one without `gpu`. */
function provideNavigatorGpu(gpu: object): void {
  const global = globalThis as { navigator?: object };
  if (global.navigator === undefined) global.navigator = { gpu };
  else if (!("gpu" in global.navigator)) Object.defineProperty(global.navigator, "gpu", { value: gpu, configurable: true });
}

const PROBE_TIMEOUT_MS = 30_000;

/**
 * Whether Dawn finds a GPU adapter, asked in a child process: where it
 * finds none (no Vulkan loader, a driver it refuses such as Debian's
 * software lavapipe) it prints why straight to stderr, which must not reach
 * a run's output. Undefined when an adapter exists; otherwise the reason,
 * from Dawn's own words where it gave some.
 */
function adapterProblem(webgpuEntry: string): Promise<string | undefined> {
  const probe = [
    `const { create } = await import(${JSON.stringify(pathToFileURL(webgpuEntry).href)});`,
    "const adapter = await create([]).requestAdapter();",
    'process.stdout.write(adapter ? "adapter" : "none");',
    "process.exit(0);",
  ].join("\n");
  return new Promise((resolve) => {
    execFile(process.execPath, ["--input-type=module", "-e", probe], { timeout: PROBE_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (!error && stdout === "adapter") return resolve(undefined);
      const dawnSaid = stderr
        .split("\n")
        .map((line) => line.replace(/^Warning:\s*/, "").trim())
        .find((line) => line !== "" && !line.startsWith("at "));
      const why = error ? `the adapter check failed (${dawnSaid ?? error.message.split("\n")[0]})` : `no WebGPU adapter on this machine${dawnSaid ? ` (${dawnSaid})` : ""}`;
      resolve(why);
    });
  });
}
