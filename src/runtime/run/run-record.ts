import { lstatSync, readFileSync } from "node:fs";
import { join, posix, win32 } from "node:path";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import { RunFolderError } from "./run-folder-error.js";

/**
 * `run.json`: what a run was started with, written before training, so
 * `--resume` continues it with the same program, seeds and options, and
 * refuses a folder whose program was edited since.
 */
export interface RunRecord {
  /** The spec file's name, as the program states it. */
  spec: string;
  /** The training seed: the program's, or `--seed`'s. */
  seed: number;
  /** The generated program's SHA-256, its spec folder's line left out (`program-digest.ts`); absent when the runtime could not read its source (a program transpiled to JavaScript). */
  programSha256?: string;
  /** The copy of the spec kept in the folder, when there is one. */
  specFile?: { name: string; sha256: string };
  /** The data's name and seed, once loaded, and the SHA-256 of its splits as loaded (`data/fingerprint.ts`; absent in older runs). */
  data?: { name: string; seed: number; sha256?: string };
  /**
   * The spec's folder, absolute, for a run whose data is files: where the
   * run started, or where a later resume found them from the program's own
   * place. A resume of the folder after it moved looks for them there too.
   */
  specFolder?: string;
  /** The command-line options the run was started (or last resumed) with: `--resume` keeps them unless given again. */
  options: { epochs?: number; backend?: string; threads?: number; replicas?: number };
  /** Set when the run finished: its epoch count, or null for a run without one (closed form, an ensemble). */
  finished?: { epochs: number | null };
}

const FILE = "run.json";

export function writeRunRecord(runFolder: string, record: RunRecord): void {
  writeFileAtomically(join(runFolder, FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** The folder's `run.json`, checked field by field; a RunFolderError names what is missing or wrong. */
export function readRunRecord(runFolder: string): RunRecord {
  const path = join(runFolder, FILE);
  const fail = (problem: string) => new RunFolderError(`${path} ${problem}`);
  let text: string;
  try {
    if (!lstatSync(path).isFile()) throw fail("is not a regular file");
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof RunFolderError) throw error;
    throw fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): is ${runFolder} a run folder made by \`regc run\`?`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail(`is not valid JSON (${(error as Error).message})`);
  }
  const problem = recordProblem(value);
  if (problem) throw fail(`is damaged: ${problem}`);
  return value as RunRecord;
}

function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "it is not a JSON object";
  if (typeof value["spec"] !== "string") return "`spec` should be the spec file's name";
  if (!Number.isInteger(value["seed"])) return "`seed` should be a whole number";
  if (value["programSha256"] !== undefined && !isDigest(value["programSha256"])) return "`programSha256` should be a SHA-256 in hex";
  const specFile = value["specFile"];
  // A bare file name: the copy is read from the run folder itself, never from a path elsewhere.
  if (specFile !== undefined && !(isObject(specFile) && isFileName(specFile["name"]) && isDigest(specFile["sha256"]))) return "`specFile` should be {name, sha256}, name a file name without folders";
  const data = value["data"];
  if (data !== undefined && !(isObject(data) && typeof data["name"] === "string" && Number.isInteger(data["seed"]) && (data["sha256"] === undefined || isDigest(data["sha256"])))) {
    return "`data` should be {name, seed, sha256}";
  }
  // Either system's: a run folder started on Windows and resumed on Linux is intact, though that folder leads nowhere there.
  if (value["specFolder"] !== undefined && !(typeof value["specFolder"] === "string" && (posix.isAbsolute(value["specFolder"]) || win32.isAbsolute(value["specFolder"])))) {
    return "`specFolder` should be an absolute path";
  }
  const options = value["options"];
  if (!isObject(options)) return "`options` should be an object";
  if (options["epochs"] !== undefined && !(Number.isInteger(options["epochs"]) && (options["epochs"] as number) >= 1)) return "`options.epochs` should be a whole number ≥ 1";
  if (options["backend"] !== undefined && typeof options["backend"] !== "string") return "`options.backend` should be a backend name";
  if (options["threads"] !== undefined && !(Number.isInteger(options["threads"]) && (options["threads"] as number) >= 1)) return "`options.threads` should be a whole number ≥ 1";
  if (options["replicas"] !== undefined && !(Number.isInteger(options["replicas"]) && (options["replicas"] as number) >= 1)) return "`options.replicas` should be a whole number ≥ 1";
  const finished = value["finished"];
  if (finished !== undefined && !(isObject(finished) && (finished["epochs"] === null || Number.isInteger(finished["epochs"])))) return "`finished` should be {epochs}";
  return undefined;
}

function isFileName(value: unknown): boolean {
  return typeof value === "string" && /^[^/\\\0]+$/.test(value) && value !== "." && value !== "..";
}

function isDigest(value: unknown): boolean {
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
