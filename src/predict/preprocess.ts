import type { InputDescription } from "../shared/model-metadata.js";
import { ColumnCells } from "../shared/tabular/column-cells.js";
import { columnNumbers } from "../shared/tabular/column-type.js";
import { quotedExcerpt } from "../shared/tabular/excerpt.js";
import { jsonCellValue, ownValue } from "../shared/tabular/json.js";
import { InputError } from "./input-error.js";

/**
 * A row of a table in raw units, by column name, as a data file's reader gives it: numbers, or booleans where a
 * column holds only booleans (read as 1 and 0); null or undefined for no value. Text is not a number, as in training.
 */
export type RawRow = Readonly<Record<string, unknown>>;

/** A decoded image: `width × height` pixels of `channels` 8-bit values each, row by row (RGBA from PNG, JPEG and a canvas's ImageData). */
export interface RawImage {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

/** Names rows and images in messages: `row 3`, `digit.png`. */
export type Namer = (index: number) => string;

/** The columns of a whole input (a CSV header, a JSON array's keys), with what messages call the input: its file, or `the input`. */
export interface InputColumns {
  names: readonly string[];
  source: string;
}

/**
 * Table rows as the model's input: each feature read by column name, gaps
 * handled as in training, then normalized with the train split's
 * statistics. `columns`, when known, lets a column missing from the whole
 * input be named once, with the input it is missing from.
 */
export function tableInput(rows: readonly RawRow[], input: InputDescription, name: Namer, columns?: InputColumns): Float32Array {
  const features = input.features ?? [];
  if (columns) {
    const absent = features.filter((feature) => !columns.names.includes(feature));
    if (absent.length > 0) {
      throw new InputError(`${columns.source} has no ${absent.length === 1 ? "column" : "columns"} ${absent.map((c) => `\`${c}\``).join(", ")}; the model reads the columns ${features.map((c) => `\`${c}\``).join(", ")}; its columns are ${columnList(columns.names)}`);
    }
  }
  const x = new Float32Array(rows.length * features.length);
  features.forEach((feature, f) => {
    const where = (r: number) => `${name(r)}, column \`${feature}\``;
    const values = featureValues(rows, feature, where);
    values.forEach((raw, r) => {
      const value = Number.isNaN(raw) ? gap(input, f, () => where(r)) : raw;
      if (input.ids !== undefined) refuseId(value, input.ids, () => where(r));
      // Training reads raw values as float32 before normalizing: so does prediction, to give the same inputs.
      x[r * features.length + f] = normalized(input, f, Math.fround(value));
    });
  });
  return x;
}

/**
 * Images as the model's input: the declared size, transparent pixels
 * composited over the trained background, channels averaged to gray or
 * taken as RGB, pixels mapped to the trained range and normalized.
 */
export function imageInput(images: readonly RawImage[], input: InputDescription, name: Namer): Float32Array {
  const [height, width, channels] = input.shape as [number, number, number];
  const [low, high] = input.pixelRange ?? [0, 1];
  const background = input.background ?? new Array<number>(channels).fill(0);
  const size = height * width * channels;
  const x = new Float32Array(images.length * size);
  images.forEach((image, i) => {
    if (image.width !== width || image.height !== height) {
      throw new InputError(`${name(i)}: the image is ${image.width}×${image.height} pixels; the model reads ${width}×${height} images`);
    }
    // Gray + alpha and RGBA carry their alpha last.
    const hasAlpha = image.channels === 2 || image.channels === 4;
    const colors = hasAlpha ? image.channels - 1 : Math.min(image.channels, 3);
    for (let p = 0; p < width * height; p++) {
      const pixel = p * image.channels;
      const alpha = hasAlpha ? image.data[pixel + image.channels - 1]! : 255;
      for (let c = 0; c < channels; c++) {
        let value: number;
        if (channels === 1) {
          value = 0;
          for (let k = 0; k < colors; k++) value += composited(image.data[pixel + k]!, alpha, background[0]!);
          value /= colors;
        } else {
          value = composited(image.data[pixel + Math.min(c, colors - 1)]!, alpha, background[c]!);
        }
        x[i * size + p * channels + c] = normalized(input, c, low + (value / 255) * (high - low));
      }
    }
  });
  return x;
}

/**
 * An 8-bit color of the given alpha over the background. A canvas keeps
 * colors premultiplied by alpha in 8 bits, so a page can read no more than
 * round(v · a / 255): Node reads the same, and the two predict alike.
 */
function composited(value: number, alpha: number, background: number): number {
  return Math.round((value * alpha) / 255) + (background * (255 - alpha)) / 255;
}

/** How many of the input's columns a message lists. */
const LISTED_COLUMNS = 12;

/** The input's own column names, quoted and escaped as a file's text is, so a stray quote or space shows. */
function columnList(columns: readonly string[]): string {
  const listed = columns.slice(0, LISTED_COLUMNS).map((column) => quotedExcerpt(column));
  if (columns.length > LISTED_COLUMNS) listed.push(`… (${columns.length} in all)`);
  return listed.length > 0 ? listed.join(", ") : "none";
}

/**
 * A feature's cells as numbers, NaN for no value, by the rule training
 * reads a data file's column by: numbers, or a column of booleans (1 and
 * 0); text, even numeric text (JSON's `"0.7"`), and a boolean among
 * numbers are refused. A number past float range (`1e999`) is refused as
 * training refuses it, not taken for a gap.
 */
function featureValues(rows: readonly RawRow[], feature: string, where: (row: number) => string): Float64Array {
  const cells = new ColumnCells();
  for (const row of rows) cells.push(jsonCellValue(ownValue(row, feature)));
  const read = columnNumbers(cells);
  if (!read.ok) throw new InputError(`${where(read.row)}: ${read.problem}`);
  const beyond = read.values.findIndex((value) => value === Infinity || value === -Infinity);
  if (beyond >= 0) throw new InputError(`${where(beyond)}: a number beyond float range (read as ${read.values[beyond]})`);
  return read.values;
}

/** What a feature with no value becomes: the train mean under `missing mean`; otherwise the row cannot be predicted. */
function gap(input: InputDescription, feature: number, where: () => string): number {
  if (input.missing === "mean" && input.fill) return input.fill[feature]!;
  const why = input.missing === "drop" ? "the model was trained without rows that lack a value (`missing drop`)" : "the model was trained on data with no gaps";
  throw new InputError(`${where()}: no value, and ${why}; give a number`);
}

/** An id with no row in the model's embedding table: a lookup would fail, or quietly read row 0. */
function refuseId(value: number, ids: number, where: () => string): void {
  if (Number.isInteger(value) && value >= 0 && value < ids) return;
  throw new InputError(`${where()}: ${value} is not an id the model can look up; its embedding reads whole numbers from 0 to ${ids - 1}`);
}

function normalized(input: InputDescription, group: number, value: number): number {
  if (!input.normalize) return value;
  return (value - input.normalize.shift[group]!) * input.normalize.scale[group]!;
}
