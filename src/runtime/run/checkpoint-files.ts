import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RunFolderError } from "./run-folder-error.js";
import { sha256 } from "./sha256.js";

/**
 * The files of one checkpoint generation, and how `--resume` tells an
 * intact generation from a damaged one: `sha256.json`, written last, holds
 * a checksum of every other file; each tensor folder's `model.json` must
 * describe exactly the bytes of its `weights.bin`.
 */

export const TENSOR_FOLDERS = ["params", "optimizer"] as const;
export const STATE_FILE = "state.json";
export const CHECKSUMS_FILE = "sha256.json";
/** Every file a generation holds besides its checksums, relative to its folder. */
export const GENERATION_FILES = [...TENSOR_FOLDERS.flatMap((folder) => [`${folder}/model.json`, `${folder}/weights.bin`]), STATE_FILE];

/** JSON files of a checkpoint are small; a bigger one is not ours. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** The checksums a complete generation in `folder` records. */
export function checksumsOf(folder: string): Record<string, string> {
  return Object.fromEntries(GENERATION_FILES.map((file) => [file, sha256(readFileSync(join(folder, file)))]));
}

/**
 * Checks every file of the generation in `folder` (named `label` in
 * messages) and returns its parsed `state.json`; throws a RunFolderError
 * naming the first damaged file and what is wrong with it.
 */
export function verifyGeneration(folder: string, label: string, stateProblem: (state: unknown) => string | undefined): unknown {
  const fail = (file: string, problem: string) => new RunFolderError(`${label}/${file} ${problem}`);
  if (!isRealFolder(folder)) throw new RunFolderError(`${label} is not a folder`);
  for (const folderName of TENSOR_FOLDERS) {
    if (!isRealFolder(join(folder, folderName))) throw fail(folderName, "is missing: the checkpoint is incomplete");
  }
  const checksums = readJson(folder, CHECKSUMS_FILE, fail, "the checkpoint was not completely written");
  if (!isObject(checksums) || !GENERATION_FILES.every((file) => typeof checksums[file] === "string" && /^[0-9a-f]{64}$/.test(checksums[file] as string))) {
    throw fail(CHECKSUMS_FILE, `should map each of ${GENERATION_FILES.join(", ")} to a SHA-256 in hex`);
  }
  for (const tensorFolder of TENSOR_FOLDERS) verifyTensorFolder(folder, tensorFolder, fail);
  const state = readJson(folder, STATE_FILE, fail, "the checkpoint is incomplete");
  const problem = stateProblem(state);
  if (problem) throw fail(STATE_FILE, `is not a training state: ${problem}`);
  for (const file of GENERATION_FILES) {
    if (sha256(readFileSync(join(folder, file))) !== checksums[file]) {
      throw fail(file, `does not match its checksum in ${CHECKSUMS_FILE}: it was changed or damaged after it was written`);
    }
  }
  return state;
}

/** `model.json` lists tensors whose sizes add up to exactly the bytes of `weights.bin`, its only weights file. */
function verifyTensorFolder(folder: string, tensorFolder: string, fail: (file: string, problem: string) => RunFolderError): void {
  const modelJson = readJson(folder, `${tensorFolder}/model.json`, fail, "the checkpoint is incomplete");
  const manifest = isObject(modelJson) ? modelJson["weightsManifest"] : undefined;
  const group = Array.isArray(manifest) && manifest.length === 1 && isObject(manifest[0]) ? manifest[0] : undefined;
  const paths = group?.["paths"];
  const specs = group?.["weights"];
  if (!group || !Array.isArray(paths) || paths.length !== 1 || paths[0] !== "weights.bin" || !Array.isArray(specs)) {
    throw fail(`${tensorFolder}/model.json`, "should list one weights file, weights.bin, and its tensors");
  }
  let expected = 0;
  for (const spec of specs as unknown[]) {
    const shape = isObject(spec) ? spec["shape"] : undefined;
    const dtype = isObject(spec) ? spec["dtype"] : undefined;
    if (!isObject(spec) || typeof spec["name"] !== "string" || !Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || typeof dtype !== "string" || !(dtype in BYTES_PER_ELEMENT)) {
      throw fail(`${tensorFolder}/model.json`, `has a tensor entry that is not {name, shape, dtype}: ${JSON.stringify(spec).slice(0, 80)}`);
    }
    expected += (shape as number[]).reduce((product, d) => product * d, 1) * BYTES_PER_ELEMENT[dtype]!;
  }
  const weights = join(folder, tensorFolder, "weights.bin");
  const size = regularFileSize(weights, (problem) => fail(`${tensorFolder}/weights.bin`, `${problem}: the checkpoint is incomplete`));
  if (size !== expected) throw fail(`${tensorFolder}/weights.bin`, `holds ${size} bytes, but model.json describes tensors of ${expected} bytes`);
}

function readJson(folder: string, file: string, fail: (file: string, problem: string) => RunFolderError, whenMissing: string): unknown {
  const size = regularFileSize(join(folder, file), (problem) => fail(file, `${problem}: ${whenMissing}`));
  if (size > MAX_JSON_BYTES) throw fail(file, `is ${size} bytes, far more than a checkpoint writes`);
  try {
    return JSON.parse(readFileSync(join(folder, file), "utf8"));
  } catch (error) {
    throw fail(file, `is not valid JSON (${(error as Error).message})`);
  }
}

/** The size of the regular file at `path`; a link (which could point out of the run folder) or anything else is refused. */
function regularFileSize(path: string, fail: (problem: string) => RunFolderError): number {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    throw fail("is missing");
  }
  if (!stats.isFile()) throw fail("is not a regular file");
  return stats.size;
}

function isRealFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
