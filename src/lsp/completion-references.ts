import { CompletionItemKind, type CompletionItem } from "vscode-languageserver";
import { globMatch } from "../compiler/checker/glob.js";
import { metricNames } from "../compiler/checker/metrics.js";
import { shapeText, type DataInfo, type LayerInfo, type ModelInfo, type Program } from "../compiler/checker/program.js";
import type { ColumnInfo } from "../compiler/sources/schema.js";
import { writtenColumn } from "../compiler/syntax/written-column.js";
import { asMarkdown as markdown } from "./catalog-markdown.js";
import { dataMarkdown, layerHintLabel, layerMarkdown, modelMarkdown, targetMarkdown } from "./program-markdown.js";
import { groupedDigits } from "../shared/grouped-digits.js";
import { readsAsNumbers } from "../shared/tabular/index.js";

/**
 * Completion items for names the spec declares, resolved by the checker:
 * layers and their real parameters, data targets and splits, columns of a
 * table source, models and metrics.
 */

function namedLayers(model: ModelInfo): LayerInfo[] {
  return model.layers.filter((l): l is LayerInfo & { name: string } => l.name !== undefined);
}

function layerDetail(layer: LayerInfo): string {
  return `${layer.kind} ${layerHintLabel(layer) ?? ""}`.trim();
}

function layerItem(model: ModelInfo, layer: LayerInfo, label: string): CompletionItem {
  return { label, kind: CompletionItemKind.Variable, detail: layerDetail(layer), documentation: markdown(layerMarkdown(model, layer)) };
}

/** Named layers, optionally only those written before an offset (what `from` and `after` may name). */
export function layerItems(model: ModelInfo, options: { before?: number | undefined; except?: string | undefined } = {}): CompletionItem[] {
  return namedLayers(model)
    .filter((l) => (options.before === undefined || l.statement.span.start < options.before) && l.name !== options.except)
    .map((l) => layerItem(model, l, l.name!));
}

function paramItem(layerName: string, param: string, shape: readonly number[], label: string): CompletionItem {
  return { label, kind: CompletionItemKind.Field, detail: `${layerName}.${param}: ${shapeText(shape)}` };
}

/** `h1.kernel`, `h1.bias`, … for the parameters each named layer really has, then globs like `*.kernel`. */
export function paramRefItems(model: ModelInfo): CompletionItem[] {
  const items = namedLayers(model).flatMap((l) => Object.entries(l.params).map(([param, shape]) => paramItem(l.name!, param, shape, `${l.name}.${param}`)));
  return [...items, ...paramGlobItems(model)];
}

function paramGlobItems(model: ModelInfo): CompletionItem[] {
  const params = new Set(model.layers.flatMap((l) => Object.keys(l.params)));
  return [...params].map((param) => {
    const matched = model.layers.filter((l) => param in l.params).length;
    return { label: `*.${param}`, kind: CompletionItemKind.Field, detail: `every ${param} (${matched} ${matched === 1 ? "layer" : "layers"})` };
  });
}

/** After `h1.` or `conv*.`: the parameters of the layers the pattern names. */
export function paramNameItems(model: ModelInfo, layerPattern: string): CompletionItem[] {
  const seen = new Map<string, CompletionItem>();
  for (const layer of model.layers) {
    const matches = layer.name ? globMatch(layerPattern, layer.name) : layerPattern === "*";
    if (!matches) continue;
    for (const [param, shape] of Object.entries(layer.params)) {
      if (!seen.has(param)) seen.set(param, paramItem(layer.name ?? layerPattern, param, shape, param));
    }
  }
  return [...seen.values()];
}

/** After `mlp.`: the model's named layers and `output`, its last layer. */
export function modelMemberItems(model: ModelInfo): CompletionItem[] {
  const items = layerItems(model);
  if (model.output) items.push({ ...layerItem(model, model.output, "output"), detail: `the last layer: ${layerDetail(model.output)}` });
  return items;
}

export function modelItems(program: Program): CompletionItem[] {
  return [...program.models.values()].map((m) => ({
    label: m.name,
    kind: CompletionItemKind.Module,
    detail: `model · ${groupedDigits(m.paramCount)} params`,
    documentation: markdown(modelMarkdown(m)),
  }));
}

/** `mlp.out`, `mlp.output`, … for a task's output. */
export function qualifiedLayerItems(program: Program): CompletionItem[] {
  return [...program.models.values()].flatMap((model) => modelMemberItems(model).map((item) => ({ ...item, label: `${model.name}.${item.label}` })));
}

function dataItem(data: DataInfo, label: string, kind: CompletionItemKind, detail: string): CompletionItem {
  return { label, kind, detail, documentation: markdown(dataMarkdown(data)) };
}

const inputDetail = (data: DataInfo) => `input ${shapeText(data.inputShape)}`;

/** `digits.input` (or `input` after `digits.`), for a model's input. */
export function dataInputItem(data: DataInfo, qualified: boolean): CompletionItem {
  return dataItem(data, qualified ? `${data.name}.input` : "input", CompletionItemKind.Field, inputDetail(data));
}

export function dataInputItems(program: Program): CompletionItem[] {
  return [...program.data.values()].map((d) => dataInputItem(d, true));
}

function targetItems(data: DataInfo, qualified: boolean): CompletionItem[] {
  const prefix = qualified ? `${data.name}.` : "";
  const targets = [...data.targets.values()]
    .filter((t) => t.kind !== "self")
    .map((t) => ({ label: `${prefix}${t.name}`, kind: CompletionItemKind.Field, detail: `target · ${t.kind}`, documentation: markdown(targetMarkdown(data, t)) }));
  return [...targets, dataInputItem(data, qualified)];
}

/** `digits.label`, `digits.input`, … for a task's target. */
export function targetRefItems(program: Program): CompletionItem[] {
  return [...program.data.values()].flatMap((d) => targetItems(d, true));
}

/** After `digits.`: its targets and `input`. */
export function dataMemberItems(data: DataInfo): CompletionItem[] {
  return targetItems(data, false);
}

function splitItem(data: DataInfo, name: string, label: string): CompletionItem {
  const rows = data.splits.get(name)?.rows;
  return dataItem(data, label, CompletionItemKind.Field, `split${rows !== undefined ? ` · ${groupedDigits(rows)} rows` : ""}`);
}

/** `digits.unlabeled`, … for a `using` clause; the splits named in `preferred` first. */
export function splitRefItems(data: DataInfo, preferred?: string): CompletionItem[] {
  return splitNameItems(data, preferred).map((item) => ({ ...item, label: `${data.name}.${item.label}` }));
}

/** After `digits.` in a `using` clause: the split names. */
export function splitNameItems(data: DataInfo, preferred?: string): CompletionItem[] {
  const names = [...data.splits.keys()].sort((a, b) => Number(b === preferred) - Number(a === preferred));
  return names.map((name) => splitItem(data, name, name));
}

/** A column as it is written: a bare identifier, or a string when it is not one (or when a string is being typed). */
function columnText(column: ColumnInfo, quoted: boolean): string {
  return quoted ? JSON.stringify(column.name) : writtenColumn(column.name);
}

function columnItem(column: ColumnInfo, quoted: boolean): CompletionItem {
  const text = columnText(column, quoted);
  const notes = [column.type, ...(column.missing > 0 ? [`${groupedDigits(column.missing)} missing`] : [])];
  return { label: column.name, kind: CompletionItemKind.Field, detail: `column · ${notes.join(", ")}`, insertText: text, filterText: text };
}

/** Columns of a table source; numeric ones only where the value must be a number. */
export function columnItems(data: DataInfo, options: { numericOnly?: boolean; exclude?: ReadonlySet<string>; quoted?: boolean } = {}): CompletionItem[] {
  const columns = data.schema?.kind === "table" ? data.schema.columns : [];
  return columns
    .filter((c) => !options.exclude?.has(c.name) && (!options.numericOnly || readsAsNumbers(c.type)))
    .map((c) => columnItem(c, options.quoted ?? false));
}

/** The metrics a run of this model reports, for `monitor:`. */
export function metricItems(program: Program, model: ModelInfo): CompletionItem[] {
  if (!model.data) return [];
  const tasks = [...program.tasks.values()].filter((t) => t.model === model);
  return metricNames(model.data, tasks).map((name) => ({ label: name, kind: CompletionItemKind.Value, detail: "metric" }));
}
