import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { locateDataFile, type LocatedFile } from "../../shared/tabular/index.js";
import { parseCsv } from "./csv.js";
import { parseJson } from "./json.js";
import { MNIST_SCHEMA } from "./mnist.js";
import type { SourceResolution } from "./schema.js";
import type { TableParse } from "./table.js";

export type SourceKind = "mnist" | "csv" | "json";
type FileKind = Exclude<SourceKind, "mnist">;

const PARSERS: Record<FileKind, (text: string) => TableParse> = { csv: parseCsv, json: parseJson };

/**
 * The schema of a `source` setting's data. `path` is the file as written in
 * the spec (ignored for `mnist`); `specPath` is the spec file, whose folder
 * relative paths start from (the working directory when absent).
 */
export function resolveSource(kind: SourceKind, path: string | undefined, specPath: string | undefined): SourceResolution {
  if (kind === "mnist") return { ok: true, schema: MNIST_SCHEMA };
  const written = path ?? "";
  const located = locateDataFile(written, specFolderOf(specPath));
  if (!located) return { ok: false, code: "REG6001", params: { path: written } };
  const parsed = readTable(kind, located);
  if (!parsed.ok) return { ok: false, code: "REG6002", params: { path: written, reason: parsed.reason } };
  const label = located.fromPackage ? basename(located.file) : written;
  return { ok: true, schema: { kind: "table", label, path: located.file, ...parsed.table } };
}

/** The absolute path a data path names: beside the spec first, then inside an installed package. */
export function resolveDataPath(path: string, specPath: string | undefined): string | undefined {
  return locateDataFile(path, specFolderOf(specPath))?.file;
}

function specFolderOf(specPath: string | undefined): string {
  return specPath ? dirname(resolve(specPath)) : process.cwd();
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
