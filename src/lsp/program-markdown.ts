import * as catalog from "../compiler/catalog/index.js";
import { shapeText, type DataInfo, type LayerInfo, type ModelInfo, type TargetInfo, type TaskInfo } from "../compiler/checker/program.js";
import { layerId } from "../compiler/checker/regularize.js";
import type { GlobReference } from "../compiler/binder/symbols.js";
import type { ColumnInfo } from "../compiler/sources/schema.js";
import { refText } from "../compiler/syntax/ast.js";
import { capitalize } from "../compiler/reference/entry-markdown.js";
import { groupedDigits } from "../shared/grouped-digits.js";

/**
 * Markdown and short labels for what the checker inferred about declared
 * names: a layer's shape and parameters, a data block's schema and splits,
 * a model's size. Hover and inlay hints read these.
 */


function plural(count: number, one: string, many: string): string {
  return `${groupedDigits(count)} ${count === 1 ? one : many}`;
}

/** `→ 26×26×16 · 160 params`, or undefined while the shape is unknown. */
export function layerHintLabel(layer: LayerInfo): string | undefined {
  if (!layer.outputShape) return undefined;
  const shape = `→ ${shapeText(layer.outputShape)}`;
  return layer.paramCount > 0 ? `${shape} · ${plural(layer.paramCount, "param", "params")}` : shape;
}

/** Each parameter with its shape: `kernel 784×512, bias 512`. */
export function paramsText(layer: LayerInfo): string {
  return Object.entries(layer.params)
    .map(([name, shape]) => `${name} ${shapeText(shape)}`)
    .join(", ");
}

/** "`h1` — dense → 512, 401,920 parameters", then where its input comes from and its parameters. */
export function layerMarkdown(model: ModelInfo, layer: LayerInfo): string {
  const name = layer.name ?? layer.kind;
  if (!layer.outputShape) {
    return `**\`${name}\`** — ${layer.kind} in model \`${model.name}\`; its shape is not known until the errors before it are fixed`;
  }
  if (!layer.inputShape) {
    return `**\`${name}\`** — ${layer.kind} → ${shapeText(layer.outputShape)} in model \`${model.name}\`; its input, and so its parameters, are not known until the errors before it are fixed`;
  }
  const lines = [`**\`${name}\`** — ${layer.kind} → ${shapeText(layer.outputShape)}, ${plural(layer.paramCount, "parameter", "parameters")}`];
  const from = layer.source === "input" ? "the model input" : `\`${layer.source.name ?? layer.source.kind}\``;
  lines.push(`In model \`${model.name}\`: ${shapeText(layer.inputShape)} from ${from} → ${shapeText(layer.outputShape)}`);
  if (layer.paramCount > 0) lines.push(`Parameters: ${paramsText(layer)}`);
  if (layer.spec?.trainingOnly) lines.push("Active in training only; the identity at prediction.");
  return lines.join("\n\n");
}

export function modelMarkdown(model: ModelInfo): string {
  const input = model.block.input?.kind === "Ref" ? `(${refText(model.block.input)})` : "";
  const size = model.unresolved ? "parameters unknown (a layer kind is unknown)" : plural(model.paramCount, "parameter", "parameters");
  const lines = [`**model \`${model.name}\`**${input} — ${size}`];
  const output = model.output?.outputShape ? `, output ${shapeText(model.output.outputShape)}` : "";
  lines.push(`Input ${shapeText(model.inputShape)}${output}; ${plural(model.layers.length, "layer", "layers")}`);
  return lines.join("\n\n");
}

/** The most columns a hover lists before summing up the rest. */
const LISTED_COLUMNS = 20;

function columnNotes(column: ColumnInfo, data: DataInfo): string {
  const notes: string[] = [column.type];
  if (column.missing > 0) notes.push(`${groupedDigits(column.missing)} missing`);
  if (column.type === "string") notes.push(`${groupedDigits(column.distinct)} distinct`);
  const role = data.features.includes(column.name) ? " · feature" : [...data.targets.values()].some((t) => t.column === column.name) ? " · target" : "";
  return `${notes.join(", ")}${role}`;
}

/** A column of a table source: its type, gaps, distinct values, and its role in the data block. */
export function columnMarkdown(data: DataInfo, column: ColumnInfo): string {
  const lines = [`**column \`${column.name}\`** of ${data.schema?.label ?? data.name}`, capitalize(columnNotes(column, data))];
  if (column.values && column.type === "string") lines.push(`Values: ${column.values.map((v) => `\`${v}\``).join(", ")}`);
  return lines.join("\n\n");
}

function targetText(target: TargetInfo): string {
  if (target.kind === "self") return "the input itself (reconstruction)";
  if (target.kind === "unknown") return "a target whose type is not written right yet";
  const classes = target.classes !== undefined ? `, ${plural(target.classes, "class", "classes")}` : "";
  const column = target.column ? ` from column \`${target.column}\`` : " from the source's own labels";
  return `${target.kind}${classes}${column}`;
}

export function dataMarkdown(data: DataInfo): string {
  const schema = data.schema;
  const lines = [`**data \`${data.name}\`** — ${schema ? `${schema.label}, ${plural(schema.rows, "row", "rows")}` : "source not resolved"}`];
  if (schema?.kind === "image") {
    lines.push(`Images ${shapeText(schema.imageShape)}${schema.classes !== undefined ? `, ${plural(schema.classes, "class", "classes")}` : ""}`);
  } else if (schema) {
    const shown = schema.columns.slice(0, LISTED_COLUMNS).map((c) => `- \`${c.name}\` — ${columnNotes(c, data)}`);
    const rest = schema.columns.length - shown.length;
    lines.push([`Columns (${groupedDigits(schema.columns.length)}):`, ...shown, ...(rest > 0 ? [`- … and ${groupedDigits(rest)} more`] : [])].join("\n"));
  }
  if (data.inputShape) lines.push(`Input ${shapeText(data.inputShape)}`);
  if (data.targets.size > 0) {
    lines.push(["Targets:", ...[...data.targets.values()].map((t) => `- \`${t.name}\` — ${targetText(t)}`)].join("\n"));
  }
  if (data.splits.size > 0) {
    const splits = [...data.splits.values()].map((s) => `| \`${s.name}\` | ${s.rows !== undefined ? groupedDigits(s.rows) : "?"} |`);
    lines.push(["| split | rows |", "|---|---:|", ...splits].join("\n"));
  }
  return lines.join("\n\n");
}

export function targetMarkdown(data: DataInfo, target: TargetInfo): string {
  return `**target \`${target.name}\`** of \`${data.name}\` — ${targetText(target)}`;
}

export function taskMarkdown(task: TaskInfo): string {
  const spec = catalog.fn("task", task.kind);
  const output = task.model && task.output ? `\`${task.model.name}.${task.output.name ?? "output"}\`` : "an output";
  const target = task.target === "input" ? "the input" : task.target ? `\`${task.data?.name ?? ""}.${task.target.name}\`` : "a target";
  const lines = [`**task \`${task.name}\`** — ${task.kind}: scores ${output} against ${target}`];
  if (spec?.metrics) lines.push(`Metrics: ${["loss", ...spec.metrics].map((m) => `\`${m}\``).join(", ")}`);
  return lines.join("\n\n");
}

/** "`*.kernel` — glob: 3 parameters of model `mlp`", then each with its shape; or that it matches none. */
export function globMarkdown(glob: GlobReference, model: ModelInfo | undefined): string {
  const what = glob.kind === "param" ? ["parameter", "parameters"] as const : ["layer", "layers"] as const;
  const head = `**\`${glob.pattern}\`** — glob`;
  const modelName = `model \`${glob.model.name}\``;
  if (glob.matches.length === 0) return `${head}: matches no ${what[0]} of ${modelName}`;
  const lines = [`${head}: ${plural(glob.matches.length, what[0], what[1])} of ${modelName}`];
  lines.push(glob.matches.map((match) => `- \`${match}\`${matchShape(glob, match, model)}`).join("\n"));
  if (model?.unresolved) lines.push("A layer's kind is unknown, so the glob may match more once it is fixed.");
  return lines.join("\n\n");
}

/** ` 784×512` for a parameter, ` dense → 512` for a layer; empty while unknown. */
function matchShape(glob: GlobReference, match: string, model: ModelInfo | undefined): string {
  if (!model) return "";
  if (glob.kind === "layer") {
    const layer = model.byName.get(match);
    return layer ? ` ${layer.kind}${layer.outputShape ? ` → ${shapeText(layer.outputShape)}` : ""}` : "";
  }
  const dot = match.lastIndexOf(".");
  const layer = model.layers.find((l) => layerId(model, l) === match.slice(0, dot));
  const shape = layer?.params[match.slice(dot + 1)];
  return shape ? ` ${shapeText(shape)}` : "";
}
