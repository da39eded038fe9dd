import { readdirSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { escapeControlCharacters, locateDataFile, searchDataFile, type LocatedFile } from "../../shared/tabular/index.js";
import { parseCsv } from "./csv.js";
import { followLinksWithin } from "../../shared/follow-links-within.js";
import { isInside, isPseudoFile } from "../../shared/path-inside.js";
import { describeNonRegular, readRegularFile } from "../../shared/read-regular-file.js";
import { projectFolder, type DataAccess } from "./data-access.js";
import { findPackageFile } from "./package-file.js";
import { notUtf8Problem } from "../../shared/utf8-text.js";
import { parseJson } from "./json.js";
import { MNIST_SCHEMA } from "./mnist.js";
import type { SourceResolution } from "./schema.js";
import type { TableParse } from "./table.js";

export type SourceKind = "mnist" | "csv" | "json";
type FileKind = Exclude<SourceKind, "mnist">;

const PARSERS: Record<FileKind, (text: string) => TableParse> = { csv: parseCsv, json: parseJson };

const NO_ACCESS: DataAccess = { allowedFolders: [] };

/**
 * The schema of a `source` setting's data. `path` is the file as written in
 * the spec (ignored for `mnist`); `specPath` is the spec file, whose folder
 * relative paths start from (the working directory when absent). The file
 * must lie inside the spec's project, an installed package or a folder
 * `access` allows, and be a regular file.
 */
export function resolveSource(kind: SourceKind, path: string | undefined, specPath: string | undefined, access: DataAccess = NO_ACCESS): SourceResolution {
  if (kind === "mnist") return { ok: true, schema: MNIST_SCHEMA };
  const written = path ?? "";
  const shown = escapeControlCharacters(written);
  const specFolder = specFolderOf(specPath);
  const roots = readableRoots(specFolder, access);
  const beside = resolve(specFolder, written);
  // Judged on the path as written, then link by link, never looking outside: a spec cannot even learn whether a file outside exists.
  if (!roots.some((root) => isInside(beside, root))) return outside(shown, "outside the spec's project");
  const led = followLinksWithin(beside, roots);
  if (!led) return outside(shown, "outside the spec's project, through a symbolic link");
  const search = led.stats?.isFile() ? { found: { file: led.path, stats: led.stats, fromPackage: false } } : findPackageFile(written, specFolder, roots);
  if (search && "refused" in search) return outside(shown, search.refused);
  if (!search) return led.stats ? notRegular(shown, describeNonRegular(led.stats)) : { ok: false, code: "REG6001", params: { path: shown } };
  const located = search.found;
  // Links already followed: the file's real path.
  if (isPseudoFile(located.file)) return notRegular(shown, "a kernel pseudo-file (/proc, /sys, /dev)");
  const parsed = readTable(kind, located);
  if ("notRegular" in parsed) return notRegular(shown, parsed.notRegular);
  if (!parsed.ok) return { ok: false, code: "REG6002", params: { path: shown, reason: parsed.reason } };
  const label = located.fromPackage ? basename(located.file) : written;
  return { ok: true, schema: { kind: "table", label, path: located.file, ...parsed.table } };
}

/** The folders data may be read from: the spec's project and those the user allows. */
function readableRoots(specFolder: string, access: DataAccess): string[] {
  return [projectFolder(specFolder), ...access.allowedFolders.map((folder) => resolve(folder))];
}

/** Names read from a folder for a suggestion: enough for any data folder, bounded for a huge one. */
const MOST_NAMES = 1000;

/**
 * The files in the folder a data path points into, for a suggestion when the
 * path names none of them. Only where that folder, links followed, lies where
 * data may be read from: a spec learns nothing of what lies outside.
 */
export function filesBeside(path: string, specPath: string | undefined, access: DataAccess = NO_ACCESS): string[] {
  const specFolder = specFolderOf(specPath);
  const folder = followLinksWithin(dirname(resolve(specFolder, path)), readableRoots(specFolder, access));
  if (!folder?.stats?.isDirectory()) return [];
  try {
    return readdirSync(folder.path, { withFileTypes: true })
      .slice(0, MOST_NAMES)
      .filter((entry) => entry.isFile() || entry.isSymbolicLink())
      .map((entry) => entry.name);
  } catch {
    // No such folder, or not one to list: nothing to suggest.
    return [];
  }
}

/** The absolute path a data path names: beside the spec first, then inside an installed package. */
export function resolveDataPath(path: string, specPath: string | undefined): string | undefined {
  return locateDataFile(path, specFolderOf(specPath))?.file;
}

/** Every file a data path may name, in the order it is looked for: beside the spec, then inside installed packages; the one found, if any, among them. */
export function dataPathCandidates(path: string, specPath: string | undefined): string[] {
  return searchDataFile(path, specFolderOf(specPath)).looked;
}

function specFolderOf(specPath: string | undefined): string {
  return specPath ? dirname(resolve(specPath)) : process.cwd();
}

function outside(path: string, where: string): SourceResolution {
  return { ok: false, code: "REG6010", params: { path, where } };
}

function notRegular(path: string, what: string): SourceResolution {
  return { ok: false, code: "REG6011", params: { path, what } };
}

/**
 * The most bytes checking reads of one data file: a bound on what a spec can
 * make `regc check` take, far above what a browser-sized dataset needs.
 */
export const DATA_FILE_BYTE_LIMIT = 256 * 1024 ** 2;

const TOO_LARGE =
  `it is larger than the ${DATA_FILE_BYTE_LIMIT / 1024 ** 2} MB that checking reads of a data file, and larger files are not supported yet: ` +
  "train on a sample of its rows, or on the columns the spec uses, saved as a file under that size";

function ioReason(error: NodeJS.ErrnoException): string {
  return error.code === "EACCES" ? "permission denied" : error.message;
}

type Read = TableParse | { ok: false; notRegular: string };

/** Parsed files by kind and path; an entry holds while the file's mtime and size are unchanged. */
const parsedFiles = new Map<string, { mtimeMs: number; size: number; parse: Read }>();

function readTable(kind: FileKind, { file, stats }: LocatedFile): Read {
  const key = `${kind}:${file}`;
  const cached = parsedFiles.get(key);
  if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.parse;
  const read = readRegularFile(file, DATA_FILE_BYTE_LIMIT);
  const parse: Read = read.ok
    ? read.notUtf8
      ? { ok: false, reason: notUtf8Problem(read.notUtf8) }
      : PARSERS[kind](read.text)
    : "notRegular" in read
      ? read
      : { ok: false, reason: "tooLarge" in read ? TOO_LARGE : ioReason(read.error) };
  parsedFiles.set(key, { mtimeMs: stats.mtimeMs, size: stats.size, parse });
  return parse;
}
