import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parse } from "../compiler/index.js";
import type * as A from "../compiler/syntax/ast.js";
import type { BlobStore, TrialFile } from "./trial.js";

/** Where a spec and its data files sit inside a trial's folder, and the files themselves, stored. */
export interface ShippedSpec {
  /** The spec's path inside the trial folder (`examples/a.reg` when a data file sits in `data/` beside `examples/`). */
  fileName: string;
  files: TrialFile[];
}

/**
 * The data files a spec reads from beside it, stored in `blobs`, so that a
 * trial can run on a machine that has only reglang installed. Every string
 * in a `source` call that names a file or folder relative to the spec is
 * shipped (a folder with everything under it); `mnist` and files inside
 * installed packages (`"vega-datasets/data/cars.json"`) are found by the
 * worker's own reglang and need no shipping. When a data file lies above
 * the spec's folder, the trial folder's root moves up to hold both.
 */
export async function shipSpecFiles(specPath: string, specText: string, blobs: BlobStore): Promise<ShippedSpec> {
  const specFolder = dirname(resolve(specPath));
  const local = dataPaths(specText)
    .map((written) => resolve(specFolder, written))
    .flatMap((path) => filesAt(path));
  const root = [specFolder, ...local.map((file) => dirname(file))].reduce(commonFolder);
  const files: TrialFile[] = [];
  for (const file of [...new Set(local)].sort()) {
    files.push({ path: portable(relative(specFolder, file)), sha256: await blobs.put(readFileSync(file)) });
  }
  return { fileName: portable(relative(root, resolve(specPath))) || basename(specPath), files };
}

/** The string arguments of every data block's `source` call, as written. */
function dataPaths(specText: string): string[] {
  const { ast } = parse(specText);
  const strings: string[] = [];
  for (const block of ast.blocks) {
    if (block.kind !== "DataBlock") continue;
    for (const statement of block.body) {
      if (statement.kind !== "Setting" || statement.keyword.name !== "source") continue;
      for (const arg of statement.args) collectStrings(arg.value, strings);
    }
  }
  return strings.filter((path) => path !== "" && !isAbsolute(path));
}

function collectStrings(expr: A.Expr | undefined, into: string[]): void {
  if (expr?.kind === "String") into.push(expr.value);
  if (expr?.kind === "Call") for (const arg of expr.args) collectStrings(arg.value, into);
  if (expr?.kind === "List") for (const item of expr.items) collectStrings(item, into);
}

/** The file at `path`, every file below it for a folder, nothing when absent (a package path, or a missing file the checker reports). */
function filesAt(path: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return [];
  }
  if (stats.isFile()) return [path];
  if (!stats.isDirectory()) return [];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith("."))
    .flatMap((entry) => filesAt(join(path, entry.name)));
}

function commonFolder(a: string, b: string): string {
  let folder = a;
  while (folder !== b && !b.startsWith(folder.endsWith(sep) ? folder : folder + sep)) folder = dirname(folder);
  return folder;
}

function portable(path: string): string {
  return path.split(sep).join("/");
}
