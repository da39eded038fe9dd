import { lstatSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { makeFolders } from "../../shared/make-folders.js";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import { CHECKSUMS_FILE, checksumsOf, STATE_FILE, verifyGeneration } from "./checkpoint-files.js";
import { RunFolderError } from "./run-folder-error.js";
import { loadTensors, saveTensors } from "./weights-io.js";

/**
 * What `--resume` needs to continue a run as if it never stopped.
 *
 * Layout: `checkpoint/<generation>/{params,optimizer}/`, `state.json` and
 * `sha256.json` (the checksums, written last), and `checkpoint/latest.json`
 * naming the newest complete generation. A new generation is written in
 * full before the pointer moves to it (one atomic rename), so a crash at
 * any moment leaves the previous checkpoint or the new one, never a mix.
 * The generation before the newest is kept too: when the newest is found
 * damaged, `--resume` falls back to it.
 */
/** What `optimizer.getWeights()` gives and `setWeights` takes (tfjs does not export the type). */
export type NamedTensor = Awaited<ReturnType<tf.Optimizer["getWeights"]>>[number];

export interface Checkpoint {
  params: Map<string, tf.Tensor>;
  /** `optimizer.getWeights()`, in its order: `setWeights` reads them by position. */
  optimizer: NamedTensor[];
  /** The loop's own JSON state (epoch, step, best so far, …). */
  state: unknown;
}

/** A loaded checkpoint, and the damage seen in newer generations on the way to it. */
export interface LoadedCheckpoint extends Checkpoint {
  generation: number;
  /** One line per damaged file passed over (empty when the newest generation was intact). */
  skipped: string[];
}

const FOLDER = "checkpoint";
const POINTER = "latest.json";

export async function saveCheckpoint(runFolder: string, checkpoint: Checkpoint): Promise<void> {
  const root = join(runFolder, FOLDER);
  const previous = readPointer(root);
  if (typeof previous === "string") throw new RunFolderError(previous);
  const generation = (previous ?? 0) + 1;
  const folder = join(root, String(generation));
  // Left over from a crash before the pointer moved: never part of a checkpoint.
  rmSync(folder, { recursive: true, force: true });
  makeFolders(folder);
  await saveTensors(join(folder, "params"), checkpoint.params);
  await saveTensors(join(folder, "optimizer"), optimizerMap(checkpoint.optimizer));
  writeFileAtomically(join(folder, STATE_FILE), `${JSON.stringify(checkpoint.state)}\n`);
  writeFileAtomically(join(folder, CHECKSUMS_FILE), `${JSON.stringify(checksumsOf(folder), null, 2)}\n`);
  writeFileAtomically(join(root, POINTER), `${JSON.stringify({ generation })}\n`);
  const kept = new Set([POINTER, String(generation), String(previous)]);
  for (const entry of readdirSync(root)) {
    if (!kept.has(entry)) rmSync(join(root, entry), { recursive: true, force: true });
  }
}

/**
 * The newest intact checkpoint, or undefined when the run has none yet.
 * Every file is checked first (`stateProblem` judges `state.json`); a
 * damaged generation gives way to the one before it, and the pointer is
 * moved back to it. With no intact generation at all, a RunFolderError
 * names the damage. The caller owns the tensors.
 */
export async function loadCheckpoint(runFolder: string, stateProblem: (state: unknown) => string | undefined = () => undefined): Promise<LoadedCheckpoint | undefined> {
  const root = join(runFolder, FOLDER);
  if (!exists(root)) return undefined;
  if (!lstatSync(root).isDirectory()) throw new RunFolderError(`${root} is not a folder`);
  const { pointer, candidates, skipped } = generationsToTry(root);
  if (pointer === undefined && candidates.length === 0) return undefined;
  for (const generation of candidates) {
    const folder = join(root, String(generation));
    try {
      const state = verifyGeneration(folder, join(root, String(generation)), stateProblem);
      const params = (await loadTensors(join(folder, "params"))).tensors;
      const optimizer = [...(await loadTensors(join(folder, "optimizer"))).tensors].map(([name, tensor]) => ({ name, tensor }));
      if (generation !== pointer) writeFileAtomically(join(root, POINTER), `${JSON.stringify({ generation })}\n`);
      return { params, optimizer, state, generation, skipped };
    } catch (error) {
      if (!(error instanceof RunFolderError)) throw error;
      skipped.push(error.message);
    }
  }
  // Killed while writing the first checkpoint: there is none yet.
  if (pointer === undefined) return undefined;
  if (candidates.length === 0) skipped.push(`${root} holds no checkpoint generation`);
  throw new RunFolderError(`no intact checkpoint to resume from:\n  ${skipped.join("\n  ")}`);
}

/**
 * The training state of the checkpoint {@link loadCheckpoint} would load,
 * read without its tensors and changing nothing; undefined when the folder
 * has no intact one (loading it then says why).
 */
export function checkpointState(runFolder: string, stateProblem: (state: unknown) => string | undefined): unknown {
  const root = join(runFolder, FOLDER);
  if (!exists(root) || !lstatSync(root).isDirectory()) return undefined;
  for (const generation of generationsToTry(root).candidates) {
    try {
      return verifyGeneration(join(root, String(generation)), join(root, String(generation)), stateProblem);
    } catch (error) {
      if (!(error instanceof RunFolderError)) throw error;
    }
  }
  return undefined;
}

/** The generations to load, newest first, and what is wrong with the pointer, if anything. */
function generationsToTry(root: string): { pointer: number | string | undefined; candidates: number[]; skipped: string[] } {
  const pointer = readPointer(root);
  const generations = readdirSync(root).filter((name) => /^[1-9]\d{0,8}$/.test(name)).map(Number).sort((a, b) => b - a);
  const skipped = typeof pointer === "string" ? [pointer] : pointer === undefined && generations.length > 0 ? [`${join(root, POINTER)} is missing`] : [];
  // Generations past the pointer were never completed; with no valid pointer, every one is a candidate.
  const candidates = typeof pointer === "number" ? [pointer, ...generations.filter((g) => g < pointer)] : generations;
  return { pointer, candidates, skipped };
}

/** The generation `latest.json` names; a message saying what is wrong with it; undefined when there is none. */
function readPointer(root: string): number | string | undefined {
  const path = join(root, POINTER);
  let text: string;
  try {
    if (!lstatSync(path).isFile()) return `${path} is not a regular file`;
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return `${path} cannot be read (${(error as Error).message})`;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `${path} is not valid JSON: it should be {"generation": N}`;
  }
  const generation = typeof value === "object" && value !== null ? (value as Record<string, unknown>)["generation"] : undefined;
  // A whole number names a sub-folder; anything else (`"../../etc"`) could point out of the run folder.
  if (!Number.isInteger(generation) || (generation as number) < 1 || (generation as number) > 999_999_999) {
    return `${path} should be {"generation": N} with N a whole number ≥ 1, not ${text.trim().slice(0, 80)}`;
  }
  return generation as number;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** saveTensors keys by name; two optimizer weights of one name would silently lose one. */
function optimizerMap(weights: readonly NamedTensor[]): Map<string, tf.Tensor> {
  const map = new Map(weights.map(({ name, tensor }) => [name, tensor]));
  if (map.size !== weights.length) throw new Error("optimizer weights must have distinct names to be checkpointed");
  return map;
}
