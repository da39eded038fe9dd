// Training rates of a spec as `regc run` trains it, in a process of its own:
// the train split's rows over each epoch's training seconds (history.json,
// which times the epoch's steps only: validation and data loading are
// outside them). This is how the bench times `--replicas`, whose replicas
// are threads started by the generated program.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { History } from "../src/runtime/run/history.js";

/** How `regc run` is asked to train: threads of the wasm backend, shared by `replicas` data-parallel replicas; either left out, regc run's default. */
export interface RunWay {
  label: string;
  threads?: number;
  replicas?: number;
}

/** `text` with its split shrunk to `trainRows` train rows and small val and test splits (they are not timed), written to `folder/name`. */
export function writeShortSpec(folder: string, name: string, text: string, trainRows: number): string {
  const small = text.replace(/^\s*split\s.*$/m, `  split  train: ${trainRows}, val: 64, test: 64`);
  if (small === text) throw new Error(`${name}: no split line to shrink; update bench/regc-run-rates.ts`);
  const path = join(folder, name);
  writeFileSync(path, small);
  return path;
}

/**
 * Samples/s of each epoch after the first `warmUpEpochs` of one `regc run`
 * of `spec` (written by {@link writeShortSpec} with `trainRows`) for
 * `epochs` epochs, on wasm.
 */
export async function runEpochRates(root: string, runs: string, spec: string, way: RunWay, epochs: number, trainRows: number, warmUpEpochs = 1): Promise<number[]> {
  const args = [join(root, "dist", "regc.js"), "run", spec, "--backend", "wasm"];
  if (way.threads !== undefined) args.push("--threads", String(way.threads));
  if (way.replicas !== undefined) args.push("--replicas", String(way.replicas));
  const child = spawn(process.execPath, [...args, "--epochs", String(epochs), "--runs", runs], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (status !== 0) throw new Error(`regc run ${spec} (${way.label}) failed: ${stderr}`);
  const [run] = readdirSync(runs).filter((name) => !name.startsWith("."));
  const history = JSON.parse(readFileSync(join(runs, run!, "history.json"), "utf8")) as History;
  rmSync(runs, { recursive: true, force: true });
  return history.epochs.slice(warmUpEpochs).map((epoch) => trainRows / epoch.seconds);
}
