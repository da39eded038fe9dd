import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import { loadTensors, saveTensors } from "./weights-io.js";

/**
 * What `--resume` needs to continue a run as if it never stopped.
 *
 * Layout: `checkpoint/<generation>/{params,optimizer}/` and `state.json`,
 * and `checkpoint/latest.json` naming the complete generation. A new
 * generation is written in full before the pointer moves to it (one atomic
 * rename), so a crash at any moment leaves the previous checkpoint or the
 * new one, never a mix.
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

const FOLDER = "checkpoint";
const POINTER = "latest.json";

export async function saveCheckpoint(runFolder: string, checkpoint: Checkpoint): Promise<void> {
  const root = join(runFolder, FOLDER);
  const generation = (readPointer(root) ?? 0) + 1;
  const folder = join(root, String(generation));
  // Left over from a crash before the pointer moved: never part of a checkpoint.
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  await saveTensors(join(folder, "params"), checkpoint.params);
  await saveTensors(join(folder, "optimizer"), optimizerMap(checkpoint.optimizer));
  writeFileAtomically(join(folder, "state.json"), `${JSON.stringify(checkpoint.state)}\n`);
  writeFileAtomically(join(root, POINTER), `${JSON.stringify({ generation })}\n`);
  for (const entry of readdirSync(root)) {
    if (entry !== POINTER && entry !== String(generation)) rmSync(join(root, entry), { recursive: true, force: true });
  }
}

/** The latest complete checkpoint, or undefined when the run has none. The caller owns its tensors. */
export async function loadCheckpoint(runFolder: string): Promise<Checkpoint | undefined> {
  const root = join(runFolder, FOLDER);
  const generation = readPointer(root);
  if (generation === undefined) return undefined;
  const folder = join(root, String(generation));
  const params = (await loadTensors(join(folder, "params"))).tensors;
  const optimizer = [...(await loadTensors(join(folder, "optimizer"))).tensors].map(([name, tensor]) => ({ name, tensor }));
  const state: unknown = JSON.parse(readFileSync(join(folder, "state.json"), "utf8"));
  return { params, optimizer, state };
}

function readPointer(root: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, POINTER), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return (JSON.parse(text) as { generation: number }).generation;
}

/** saveTensors keys by name; two optimizer weights of one name would silently lose one. */
function optimizerMap(weights: readonly NamedTensor[]): Map<string, tf.Tensor> {
  const map = new Map(weights.map(({ name, tensor }) => [name, tensor]));
  if (map.size !== weights.length) throw new Error("optimizer weights must have distinct names to be checkpointed");
  return map;
}
