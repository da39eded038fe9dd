import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { describeIoError } from "../../shared/describe-io-error.js";
import { readJsonObjects } from "../../shared/tabular/index.js";
import { decodeUtf8, notUtf8Problem } from "../../shared/utf8-text.js";
import { readCsvTable } from "../csv-table.js";
import { InputError } from "../input-error.js";
import type { RawImage, RawRow } from "../preprocess.js";

/** What `regc predict` reads: table rows (`names`: `row 2` as a spreadsheet counts, `item 1` of a JSON array), or images. */
export type PredictInput =
  | { kind: "table"; rows: RawRow[]; columns: string[]; names: string[]; path: string }
  | { kind: "image"; images: RawImage[]; names: string[] };

const IMAGE_EXTENSIONS = new Set([".png", ".jpg", ".jpeg"]);

/** Reads one CSV or JSON file of rows, or any number of PNG or JPEG images. */
export function readPredictInput(paths: readonly string[]): PredictInput {
  const images = paths.filter((path) => IMAGE_EXTENSIONS.has(extname(path).toLowerCase()));
  if (images.length > 0) {
    if (images.length !== paths.length) throw new InputError("give either images (.png, .jpg) or one table (.csv, .json), not both");
    return { kind: "image", images: images.map(readImage), names: images.map((path) => basename(path)) };
  }
  if (paths.length !== 1) throw new InputError(`give one table of rows (.csv or .json), not ${paths.length} files`);
  return readTable(paths[0]!);
}

function readTable(path: string): PredictInput & { kind: "table" } {
  const extension = extname(path).toLowerCase();
  if (extension === ".csv") return { kind: "table", ...readCsvTable(readText(path), path), path };
  if (extension === ".json") return readJson(path, readText(path));
  throw new InputError(`${path}: predictions read .csv and .json rows, or .png and .jpg images, not \`${extension || "a file without extension"}\``);
}

function readText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${describeIoError(error)}`);
  }
  const { text, notUtf8 } = decodeUtf8(bytes);
  if (notUtf8) throw new InputError(`cannot read ${path}: ${notUtf8Problem(notUtf8)}`);
  return text;
}

function readJson(path: string, text: string): PredictInput & { kind: "table" } {
  const read = readJsonObjects(text);
  if (!read.ok) throw new InputError(`${path}: ${read.reason}`);
  // Refused as a CSV file without rows is.
  if (read.rows.length === 0) throw new InputError(`${path}: it holds no rows, so there is nothing to predict`);
  const names = read.rows.map((_, index) => `item ${index + 1}`);
  return { kind: "table", rows: read.rows, columns: read.columns, names, path };
}

function readImage(path: string): RawImage {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${describeIoError(error)}`);
  }
  try {
    const decoded = extname(path).toLowerCase() === ".png" ? PNG.sync.read(bytes) : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: decoded.width, height: decoded.height, channels: 4, data: decoded.data };
  } catch (error) {
    throw new InputError(`${path} is not a readable ${extname(path).slice(1).toUpperCase()} image: ${(error as Error).message}`);
  }
}
