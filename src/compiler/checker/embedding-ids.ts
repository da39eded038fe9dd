import { excerpt } from "../../shared/tabular/index.js";
import type { CheckContext } from "./context.js";
import type { LayerInfo, ModelInfo } from "./program.js";

/** An embedding whose input is the model's own: its values are ids from the data's columns. */
export function embedsInput(layer: LayerInfo): boolean {
  return layer.kind === "embedding" && layer.source === "input";
}

/**
 * An embedding that reads the model's input takes each value as a row of
 * its table: every feature must hold whole numbers in 0 … input_dim − 1,
 * as the data file has them, and no normalization may rescale them into
 * fractions. Checked against each column's smallest and largest value and
 * its first fraction, so that training never meets an id past the table.
 */
export function checkEmbeddingIds(ctx: CheckContext, model: ModelInfo): void {
  const data = model.data;
  const schema = data?.schema;
  if (!data || !schema || data.kind !== "table") return;
  for (const layer of model.layers) {
    const rows = layer.args["input_dim"];
    // A `from` that names no layer is reported as such; what the embedding reads is unknown.
    if (!embedsInput(layer) || layer.sourceUnknown || typeof rows !== "number") continue;
    const report = (problem: string, hint: string) =>
      ctx.sink.report("REG6007", layer.statement.call.span, { layer: layer.name ?? layer.kind, last: rows - 1, problem }, { hint });
    const normalize = data.settings.get("normalize")?.values["value"];
    if (normalize === "standard" || normalize === "minmax") {
      report(`\`normalize ${normalize}\` in data \`${data.name}\` rescales them into fractions`, "set `normalize none`: ids are names, not quantities");
      continue;
    }
    for (const name of data.features) {
      const column = schema.columns.find((c) => c.name === name);
      if (column?.min === undefined || column.max === undefined) continue;
      if (column.missing > 0 && data.settings.get("missing")?.values["value"] === "mean") {
        report(`\`missing mean\` fills the gaps in column \`${excerpt(name)}\` with a mean, a fraction`, "drop those rows (`missing drop`), or give a gap an id of its own in the file");
        break;
      }
      if (column.firstFraction) {
        const { value, row } = column.firstFraction;
        report(`column \`${excerpt(name)}\` of ${schema.label} holds ${value} (${row}), not a whole number`, "an embedding's input columns hold ids: whole numbers from 0");
        break;
      }
      if (column.min < 0 || column.max >= rows) {
        const hint = column.min < 0 ? "ids start at 0: shift the column so that its smallest id is 0" : `give the embedding room for every id: \`embedding(${column.max + 1}, …)\``;
        report(`column \`${excerpt(name)}\` of ${schema.label} holds ids from ${column.min} to ${column.max}`, hint);
        break;
      }
    }
  }
}
