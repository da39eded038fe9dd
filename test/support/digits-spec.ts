/**
 * The small MNIST specs end-to-end tests train: a `digits` data block, an
 * MLP (`flatten()`, a relu layer `h`, an optional dropout, `out` with ten
 * units), the task `digit` classifying with it, a train block and, when
 * there are clauses, a regularize block. A test names only what it varies,
 * so what it exercises stands out; one whose spec text is the point of it
 * writes the text out instead.
 */
export interface DigitsSpec {
  split?: DigitsSplit;
  /** The data block's seed, which draws the split. */
  dataSeed?: number;
  /** The model's name, which names its search spaces and regularize block. */
  model?: string;
  hiddenUnits?: number;
  /** A dropout layer after `h`, with this rate. */
  dropout?: number;
  optimizer?: string;
  epochs?: number;
  batch?: number;
  /** The train block's seed; by default it has none. */
  trainSeed?: number;
  /** The regularize block's lines (`l2(1e-4) on *.kernel`); none, no block. */
  regularize?: readonly string[];
  /** Blocks after the others (a `tune` block), as written. */
  after?: string;
}

export interface DigitsSplit {
  train: number;
  val?: number;
  test?: number;
}

export function digitsSpec({
  split = { train: 200, val: 100, test: 200 },
  dataSeed = 5,
  model = "net",
  hiddenUnits = 32,
  dropout,
  optimizer = "sgd(lr: 0.05, momentum: 0.9)",
  epochs = 2,
  batch = 32,
  trainSeed,
  regularize = [],
  after,
}: DigitsSpec = {}): string {
  const layers = ["flatten()", `h   = dense(${hiddenUnits}, activation: relu)`, ...(dropout === undefined ? [] : [`dropout(${dropout})`]), "out = dense(10)"];
  const settings = [`optimizer ${optimizer}`, `epochs    ${epochs}`, `batch     ${batch}`, ...(trainSeed === undefined ? [] : [`seed      ${trainSeed}`])];
  const blocks = [
    digitsData(split, dataSeed),
    block(`model ${model}(digits.input)`, layers),
    `task digit = classify(${model}.out, digits.label)\n`,
    block("train", settings),
    ...(regularize.length > 0 ? [block(`regularize ${model}`, regularize)] : []),
    ...(after === undefined ? [] : [after]),
  ];
  return blocks.join("\n");
}

/** The `digits` data block alone: 28×28 MNIST digits in ten classes, split as given. */
export function digitsData(split: DigitsSplit, seed = 5): string {
  const sizes = (["train", "val", "test"] as const).flatMap((name) => (split[name] === undefined ? [] : [`${name}: ${split[name]}`]));
  return block("data digits", ["source mnist", "input  image(28, 28, 1)", "target label = class(10)", `split  ${sizes.join(", ")}`, `seed   ${seed}`]);
}

function block(header: string, lines: readonly string[]): string {
  return `${header} {\n${lines.map((line) => `  ${line}\n`).join("")}}\n`;
}
