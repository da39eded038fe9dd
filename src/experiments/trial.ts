/**
 * A trial is one derived spec (an ablation arm, a tuning point) trained at one
 * seed, as its own `regc run` process: spec text and data files in, metrics
 * and history out. Nothing here knows a technique; the same job runs in the
 * local pool or on a queue worker on another machine, with the same result.
 */

/** What a trial needs, all of it carried by value so workers share no file system. */
export interface TrialJob {
  /** Stable across resumes and unique within its experiment (a file-name-safe `ARM@seedN`). */
  id: string;
  /** The experiment folder's name: trials of one experiment share it. */
  experiment: string;
  /** The arm (ablation) or point (tuning) this trial belongs to. */
  arm: string;
  /** The training seed (`regc run --seed`). */
  seed: number;
  /** `regc run --epochs`, when the experiment overrides the spec's number. */
  epochs?: number;
  /** `regc run --backend`, when the experiment names one. */
  backend?: string;
  /**
   * The derived spec; its folder is where `files` are relative to.
   * `fileName` may hold folders (`examples/a.reg`) when a data file lies
   * above the spec's own folder: the trial folder is then their common root.
   */
  spec: { fileName: string; text: string };
  /** The spec-relative data files it reads, content-addressed (sha256, hex). */
  files: readonly TrialFile[];
}

export interface TrialFile {
  /** Relative to the spec's folder, `/`-separated, never leaving the trial folder (`../data/x.csv` with `fileName` `examples/a.reg`). */
  path: string;
  sha256: string;
}

/** `ok` trained; `diverged` stopped on a non-finite loss (exit 5); `failed` any other error (its message kept). */
export type TrialStatus = "ok" | "diverged" | "failed";

export interface TrialResult {
  id: string;
  status: TrialStatus;
  /** For `diverged` and `failed`: what the run said, in one or a few lines. */
  reason?: string;
  /** The run folder's `metrics.json`, when it wrote one. */
  metrics?: Record<string, unknown>;
  /** The run folder's `history.json`, when it wrote one. */
  history?: unknown;
}

/** File contents by sha256: a folder for the local pool, Redis for the queue. */
export interface BlobStore {
  put(content: Buffer): Promise<string>;
  get(sha256: string): Promise<Buffer>;
}
