import { readFileSync, statSync, type Stats } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve, sep } from "node:path";
import { parseCsv } from "./csv.js";
import { parseJson } from "./json.js";
import { MNIST_SCHEMA } from "./mnist.js";
import type { SourceResolution } from "./schema.js";
import type { TableParse } from "./table.js";

export type SourceKind = "mnist" | "csv" | "json";
type FileKind = Exclude<SourceKind, "mnist">;

const PARSERS: Record<FileKind, (text: string) => TableParse> = { csv: parseCsv, json: parseJson };

/** `@scope/name/rest` or `name/rest`: a path that may lie inside an installed package. */
const PACKAGE_PATH = /^((?:@[^/]+\/)?[^/@.][^/]*)\/(.+)$/;

interface LocatedFile {
  file: string;
  stats: Stats;
  fromPackage: boolean;
}

/**
 * The schema of a `source` setting's data. `path` is the file as written in
 * the spec (ignored for `mnist`); `specPath` is the spec file, whose folder
 * relative paths start from (the working directory when absent).
 */
export function resolveSource(kind: SourceKind, path: string | undefined, specPath: string | undefined): SourceResolution {
  if (kind === "mnist") return { ok: true, schema: MNIST_SCHEMA };
  const written = path ?? "";
  const located = locateDataFile(written, specPath);
  if (!located) return { ok: false, code: "REG6001", params: { path: written } };
  const parsed = readTable(kind, located);
  if (!parsed.ok) return { ok: false, code: "REG6002", params: { path: written, reason: parsed.reason } };
  const label = located.fromPackage ? basename(located.file) : written;
  return { ok: true, schema: { kind: "table", label, path: located.file, ...parsed.table } };
}

/** The absolute path a data path names: beside the spec first, then inside an installed package. */
export function resolveDataPath(path: string, specPath: string | undefined): string | undefined {
  return locateDataFile(path, specPath)?.file;
}

function locateDataFile(path: string, specPath: string | undefined): LocatedFile | undefined {
  const specFolder = specPath ? dirname(resolve(specPath)) : process.cwd();
  const beside = resolve(specFolder, path);
  const besideStats = fileStats(beside);
  if (besideStats) return { file: beside, stats: besideStats, fromPackage: false };
  const inPackage = locateInPackage(path, specFolder);
  return inPackage && { ...inPackage, fromPackage: true };
}

/**
 * Looks for the package the way node does, from the spec's folder and then
 * from this compiler's own location, and joins the rest of the path to the
 * package's folder. Resolving `NAME/rest` through `require.resolve` would
 * obey the package's `exports` map, which (as in vega-datasets) need not
 * list its data files, or even its package.json.
 */
function locateInPackage(path: string, specFolder: string): Omit<LocatedFile, "fromPackage"> | undefined {
  const match = PACKAGE_PATH.exec(path);
  if (!match) return undefined;
  const name = match[1]!;
  const rest = match[2]!;
  // A trailing separator makes createRequire start from that folder itself.
  for (const origin of [specFolder + sep, import.meta.url]) {
    const folders = createRequire(origin).resolve.paths(name) ?? [];
    const packageFolder = folders.map((folder) => join(folder, name)).find((folder) => fileStats(join(folder, "package.json")));
    if (!packageFolder) continue;
    const file = join(packageFolder, rest);
    const stats = fileStats(file);
    if (stats) return { file, stats };
  }
  return undefined;
}

/** The file's stats, or undefined for anything that is not a readable path to a file (too long, a folder, no access…). */
function fileStats(path: string): Stats | undefined {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats?.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}

/** Parsed files by kind and path; an entry holds while the file's mtime and size are unchanged. */
const parsedFiles = new Map<string, { mtimeMs: number; size: number; parse: TableParse }>();

function readTable(kind: FileKind, { file, stats }: LocatedFile): TableParse {
  const key = `${kind}:${file}`;
  const cached = parsedFiles.get(key);
  if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.parse;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const parse = PARSERS[kind](text);
  parsedFiles.set(key, { mtimeMs: stats.mtimeMs, size: stats.size, parse });
  return parse;
}
