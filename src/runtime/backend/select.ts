import { BACKEND_NAMES, loadBackend, type BackendName } from "./loaders.js";

export { BACKEND_NAMES, threadsInUse, type BackendName } from "./loaders.js";

/** What `--backend` accepts: a backend, or "tensorflow" for either native binding, GPU first. */
export const BACKEND_REQUESTS = [...BACKEND_NAMES, "tensorflow"] as const;

/** No backend asked for (or none at all) could start here; says why for each one tried. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly requested: string | undefined,
    readonly reasons: ReadonlyMap<BackendName, string>,
  ) {
    const why =
      reasons.size === 1
        ? [...reasons.values()].join("")
        : [...reasons].map(([name, reason]) => `${name}: ${reason}`).join("; ");
    super(`${requested === undefined ? "no backend could start" : `backend "${requested}" cannot be used`}: ${why}`);
    this.name = "BackendUnavailableError";
  }
}

/**
 * Activates a TensorFlow.js backend and returns which one runs, for the
 * caller to print. With no request: the first of tfjs-node-gpu, tfjs-node,
 * webgpu, wasm, cpu that loads. With one: that backend, or a
 * BackendUnavailableError saying why not; an unknown name is an error
 * listing the known ones. `threads`: how many the wasm backend uses.
 */
export async function selectBackend(requested?: string, threads = 1): Promise<BackendName> {
  const candidates = candidatesFor(requested);
  const reasons = new Map<BackendName, string>();
  for (const candidate of candidates) {
    try {
      await loadBackend(candidate, threads);
      return candidate;
    } catch (error) {
      reasons.set(candidate, error instanceof Error ? error.message : String(error));
    }
  }
  throw new BackendUnavailableError(requested, reasons);
}

function candidatesFor(requested: string | undefined): readonly BackendName[] {
  if (requested === undefined) return BACKEND_NAMES;
  if (requested === "tensorflow") return ["tfjs-node-gpu", "tfjs-node"];
  const named = BACKEND_NAMES.find((name) => name === requested);
  if (named === undefined) {
    throw new Error(`unknown backend "${requested}": choose one of ${BACKEND_REQUESTS.join(", ")}`);
  }
  return [named];
}
