import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { packageRoot } from "../cli/package-root.js";
import { STOP_WITH_PARENT } from "../shared/stop-with-parent.js";
import type { BlobStore, TrialJob, TrialResult } from "./trial.js";

/** A finished trial: its result, and the run folder it left on this machine (absent when `regc run` made none). */
export interface ExecutedTrial {
  result: TrialResult;
  runFolder?: string;
}

/** Thrown when the trial was stopped through its signal: it did not finish and counts as not run. */
export class TrialInterrupted extends Error {
  constructor(id: string) {
    super(`trial ${id} was interrupted`);
  }
}

const DIVERGED_EXIT = 5;

/**
 * Runs one trial as its own `regc run` process, so every trial has its own
 * backend and nothing of one leaks into the next: the spec and its files
 * are written into `SCRATCH/ID/spec/`, the run folder appears under
 * `SCRATCH/ID/runs/`. A trial that fails or diverges is a result, not an
 * exception; only an abort through `signal` throws ({@link TrialInterrupted}).
 * `threads`: what the trial trains with (`regc run --threads`), one unless
 * the caller knows cores are spare; as many of its bagging members train at
 * once (`--workers`).
 */
export async function executeTrial(job: TrialJob, blobs: BlobStore, scratchRoot: string, signal?: AbortSignal, threads = 1): Promise<ExecutedTrial> {
  if (signal?.aborted) throw new TrialInterrupted(job.id);
  const trialFolder = inside(resolve(scratchRoot), job.id);
  rmSync(trialFolder, { recursive: true, force: true });
  const shipped = join(trialFolder, "spec");
  const specPath = await materialize(job, blobs, shipped);
  const runs = join(trialFolder, "runs");
  // The shipped folder holds the spec's data files, above the spec's own folder when they were above it at home.
  const args = ["run", specPath, "--runs", runs, "--seed", String(job.seed), "--threads", String(threads), "--workers", String(threads), "--allow-data", shipped];
  if (job.epochs !== undefined) args.push("--epochs", String(job.epochs));
  if (job.backend !== undefined) args.push("--backend", job.backend);

  const { code, stderr } = await runRegc(args, trialFolder, signal);
  if (signal?.aborted) throw new TrialInterrupted(job.id);
  const runFolder = onlyRunFolder(runs);
  const metrics = runFolder && readJson(join(runFolder, "metrics.json"));
  const history = runFolder && readJson(join(runFolder, "history.json"));
  const outputs = { ...(metrics !== undefined && { metrics: metrics as Record<string, unknown> }), ...(history !== undefined && { history }) };
  const result: TrialResult =
    code === 0 && metrics !== undefined
      ? { id: job.id, status: "ok", ...outputs }
      : { id: job.id, status: code === DIVERGED_EXIT ? "diverged" : "failed", reason: failureReason(code, stderr), ...outputs };
  return { result, ...(runFolder && { runFolder }) };
}

/** Writes the spec and its files below `root`; every path must stay inside it. Returns the spec's path. */
async function materialize(job: TrialJob, blobs: BlobStore, root: string): Promise<string> {
  const specPath = inside(root, job.spec.fileName);
  mkdirSync(dirname(specPath), { recursive: true });
  writeFileSync(specPath, job.spec.text);
  for (const file of job.files) {
    const path = inside(root, relative(root, resolve(dirname(specPath), file.path)));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, await blobs.get(file.sha256));
  }
  return specPath;
}

function inside(root: string, path: string): string {
  const full = resolve(root, path);
  if (!full.startsWith(root + sep)) throw new Error(`a trial's file \`${path}\` would lie outside its folder`);
  return full;
}

function runRegc(args: string[], cwd: string, signal: AbortSignal | undefined): Promise<{ code: number | null; stderr: string }> {
  const launcher = join(packageRoot(), "dist", "regc.js");
  return new Promise((resolvePromise, reject) => {
    // Line-per-epoch progress, no colors: the output is read, not watched. Over the IPC channel the run notices when this process ends, even by SIGKILL, and stops.
    const env = { ...process.env, NO_COLOR: "1", CI: "1", [STOP_WITH_PARENT]: "1" };
    const child = spawn(process.execPath, [launcher, ...args], { cwd, env, stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-64_000);
    });
    // A stopped trial is given up, not resumed: end it at once (SIGTERM would let it finish its step and checkpoint).
    const stop = () => child.kill("SIGKILL");
    signal?.addEventListener("abort", stop, { once: true });
    child.on("error", (error) => {
      signal?.removeEventListener("abort", stop);
      reject(error);
    });
    child.on("close", (code, killedBy) => {
      signal?.removeEventListener("abort", stop);
      resolvePromise({ code: code ?? (killedBy ? 128 : null), stderr });
    });
  });
}

function onlyRunFolder(runs: string): string | undefined {
  if (!existsSync(runs)) return undefined;
  const folders = readdirSync(runs, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith("."));
  return folders.length === 1 ? join(runs, folders[0]!.name) : undefined;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/** What the run said about why it stopped: its error lines (diagnostics included), else the end of its output. */
function failureReason(code: number | null, stderr: string): string {
  const lines = stderr.split("\n").map((line) => line.trimEnd()).filter((line) => line !== "");
  const firstError = lines.findIndex((line) => /^regc: (error|internal error)|error(\[REG\d+\])?:/.test(line) || /^\S+:\d+:\d+: error/.test(line));
  const said = (firstError >= 0 ? lines.slice(firstError, firstError + 6) : lines.slice(-4)).map((line) => line.replace(/^regc: error: /, ""));
  const exit = code === null ? "no exit code" : `exit ${code}`;
  return said.length > 0 ? said.join("\n") : `regc run stopped (${exit}) without a message`;
}
