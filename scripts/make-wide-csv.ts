// Writes examples/data/wide.csv, the data of example F (book §7.3): 40 rows,
// 100 feature columns x1..x100 and a target y = Xw + noise with a sparse w,
// so ordinary least squares is under-determined and ridge is needed.
// Run: npx tsx scripts/make-wide-csv.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { uniformStream as seededRandom } from "../src/runtime/random.js";

const ROWS = 40;
const FEATURES = 100;
const SEED = 7;
const NOISE = 0.5;
/** The few features y depends on (1-based column numbers) and their weights. */
const TRUE_WEIGHTS = new Map([
  [3, 2.0],
  [17, -1.5],
  [42, 1.0],
  [68, 0.75],
  [95, -0.5],
]);

/** Approximately standard normal: the sum of 12 uniforms, minus 6. Plain arithmetic (no Math.log), so every platform writes the same bytes. */
function normal(uniform: () => number): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += uniform();
  return sum - 6;
}

/** About four significant digits, without trailing zeros. */
function fourDigits(value: number): number {
  return Number(value.toPrecision(4));
}

/** The text of wide.csv. */
export function wideCsvText(): string {
  const uniform = seededRandom(SEED);
  const header = [...Array.from({ length: FEATURES }, (_, i) => `x${i + 1}`), "y"];
  const lines = [header.join(",")];
  for (let row = 0; row < ROWS; row++) {
    const x = Array.from({ length: FEATURES }, () => fourDigits(normal(uniform)));
    let y = NOISE * normal(uniform);
    for (const [column, weight] of TRUE_WEIGHTS) y += weight * x[column - 1]!;
    lines.push([...x, fourDigits(y)].join(","));
  }
  return lines.join("\n") + "\n";
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = fileURLToPath(new URL("../examples/data/wide.csv", import.meta.url));
  writeFileSync(target, wideCsvText());
  console.log(`wrote ${target}`);
}
