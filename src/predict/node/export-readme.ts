import type { ModelMetadata, OutputDescription } from "../../shared/model-metadata.js";

/** The README of an export folder: what goes in, what comes out, and how to use it. */
export function exportReadme(metadata: ModelMetadata, source: string): string {
  const { input } = metadata;
  const lines = [
    `# ${metadata.model} (${metadata.spec})`,
    "",
    `A TensorFlow.js LayersModel exported by \`regc export\` from \`${source}\`: \`model.json\` (topology, weights`,
    "manifest, and in `userDefinedMetadata.reglang` everything below) and `weights.bin`.",
    "",
    "## Input",
    "",
    ...inputLines(metadata),
    "",
    "## Outputs",
    "",
    "In the order of the model's outputs (`model.predict(x)` returns them in this order):",
    "",
    ...metadata.outputs.map((output, i) => `${i + 1}. ${outputLine(output)}`),
    ...(metadata.sampling
      ? [
          "",
          `**Monte-Carlo dropout** (\`${metadata.sampling.technique}\`): a prediction averages ${metadata.sampling.samples} passes with the dropout`,
          `layers ${Object.keys(metadata.sampling.dropoutLayers).map((name) => `\`${name}\``).join(", ")} left on. A plain \`model.predict\` gives one pass with dropout off;`,
          "`regc predict` and `reglang/predict` take the passes and report their spread: each probability's (or value's) standard",
          "deviation over the passes, around its mean over them. Each row's dropout masks are drawn from its own input values and",
          "the pass, so a row predicts the same alone or among others; the spread is a Monte-Carlo estimate, whose noise falls",
          "with more passes.",
          ...(metadata.outputs.some((output) => output.values === "votes")
            ? ["A vote counts each member's probabilities averaged over the passes; its spread is that of each pass's own vote shares."]
            : []),
        ]
      : []),
    "",
    "## Use",
    "",
    "```sh",
    `regc predict ${input.kind === "image" ? "FOLDER digit.png" : "FOLDER rows.csv"} --format text   # or json, csv`,
    "python3 -m http.server 8080   # in this folder; then open http://localhost:8080/ to predict in the page (not the file: a page opened from a file cannot load its model)",
    "```",
    "",
    "In a page or in Node, `reglang/predict` applies the preprocessing above:",
    "",
    "```js",
    'import { loadPredictor } from "reglang/predict";',
    'const predictor = await loadPredictor("model.json"); // a URL in a page; in Node, a path to this file or to its folder',
    input.kind === "image" ? "const [prediction] = predictor.predictImages([imageData]); // RGBA, e.g. a canvas's ImageData" : `const [prediction] = predictor.predictRows([{ ${(input.features ?? []).map((f) => `${JSON.stringify(f)}: …`).join(", ")} }]);`,
    "```",
    "",
  ];
  return lines.join("\n");
}

function inputLines(metadata: ModelMetadata): string[] {
  const { input } = metadata;
  const normalize = input.normalize;
  if (input.kind === "image") {
    const [height, width, channels] = input.shape;
    return [
      `Images of ${width}×${height} pixels, ${channels === 1 ? "gray (a color image's channels are averaged)" : `${channels} channels`}; the model's input is [batch, ${input.shape.join(", ")}].`,
      `A transparent pixel shows the background the model was trained with (the train images' edges): ${list(input.background ?? [0])} in 8 bits; a color v of alpha a becomes round(v · a / 255) + background · (255 − a) / 255, as a canvas, which keeps colors premultiplied, reads it.`,
      `Each 8-bit pixel value v becomes ${range(input.pixelRange)}${normalize ? `, then (value − shift) · scale per channel (${normalize.mode}, fitted on the train split): shift ${list(normalize.shift)}, scale ${list(normalize.scale)}` : ""}.`,
    ];
  }
  const features = input.features ?? [];
  const rows = features.map((feature, f) => {
    const statistics = normalize ? ` | ${normalize.shift[f]} | ${normalize.scale[f]}` : "";
    return `| ${f + 1} | \`${feature}\`${statistics}${input.fill ? ` | ${input.fill[f]}` : ""} |`;
  });
  const header = `| # | column${normalize ? " | shift | scale" : ""}${input.fill ? " | fill" : ""} |`;
  return [
    `Table rows: ${features.length} columns, in raw units, in this order (the model's input is [batch, ${features.length}]).`,
    normalize ? `Each value v becomes (v − shift) · scale (\`normalize ${normalize.mode}\`, fitted on the train split).` : "Values go in as they are (no normalization).",
    input.missing === "mean" ? "A missing value is filled with the column's train mean (`fill`) before normalizing." : "A missing value cannot be predicted: the model was trained without gaps.",
    ...(input.ids !== undefined ? [`Each value is an id that an embedding looks up: a whole number from 0 to ${input.ids - 1}.`] : []),
    "",
    header,
    `|${header.split("|").slice(1, -1).map(() => "---").join("|")}|`,
    ...rows,
  ];
}

function outputLine(output: OutputDescription): string {
  const what = `\`${output.task}\` (${output.kind} \`${output.layer}\` against \`${output.target}\`)`;
  if (output.values === "probabilities") return `${what}: the probability of each class, in the order ${output.labels!.map((l) => `\`${l}\``).join(", ")}.`;
  if (output.values === "votes") {
    return `${what}: each of the ${output.members} members' class probabilities, member after member (classes ${output.labels!.map((l) => `\`${l}\``).join(", ")}). The prediction is a vote: each member's top class counts one, plus ${output.voteTieBreak} × the members' mean probability, divided by ${output.members} + ${output.voteTieBreak}.`;
  }
  return `${what}: ${output.shape.join("×")} value${output.shape.reduce((a, b) => a * b, 1) === 1 ? "" : "s"}${output.kind === "regress" ? ", in the target's own units" : ""}.`;
}

function range(pixelRange: [number, number] | undefined): string {
  const [low, high] = pixelRange ?? [0, 1];
  return low === 0 && high === 1 ? "v / 255" : `${low} + (v / 255) · ${high - low}`;
}

function list(values: readonly number[]): string {
  return values.map((v) => String(Number(v.toPrecision(6)))).join(", ");
}
