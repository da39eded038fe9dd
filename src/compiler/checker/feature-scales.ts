import type * as A from "../syntax/ast.js";
import type { Diagnostic, Fix } from "../diagnostics/diagnostic.js";
import type { CheckContext } from "./context.js";
import { embedsInput } from "./embedding-ids.js";
import type { DataInfo, ModelInfo } from "./program.js";

/** Two orders of magnitude between the largest and the smallest feature: beyond what a network's first layer absorbs. */
const SCALE_RATIO_LIMIT = 100;

/** The data block's `normalize` setting, with its word when it was a valid one. */
export interface NormalizeSetting {
  setting: A.Setting;
  word: string | undefined;
}

/**
 * Warns (REG6005) when a table's numeric features differ in scale by orders
 * of magnitude and the spec leaves them unnormalized; the fix asks for
 * `normalize standard`. A column's scale is its largest absolute value, from
 * the schema the checker already read.
 */
export function checkFeatureScales(ctx: CheckContext, info: DataInfo, normalize: NormalizeSetting | undefined, anchor: A.Setting | undefined): void {
  if (info.kind !== "table" || !info.schema) return;
  if (normalize && normalize.word !== "none") return;
  const scales = info.features.flatMap((name) => {
    const column = info.schema!.columns.find((c) => c.name === name);
    if (!column || column.min === undefined || column.max === undefined) return [];
    const scale = Math.max(Math.abs(column.min), Math.abs(column.max));
    return scale > 0 ? [{ name, scale }] : [];
  });
  if (scales.length < 2) return;
  const large = scales.reduce((a, b) => (b.scale > a.scale ? b : a));
  const small = scales.reduce((a, b) => (b.scale < a.scale ? b : a));
  const ratio = large.scale / small.scale;
  if (ratio < SCALE_RATIO_LIMIT) return;
  const at = normalize?.setting.span ?? anchor?.keyword.span ?? info.block.name?.span ?? info.block.keyword;
  ctx.sink.report(
    "REG6005",
    at,
    { orders: Math.floor(Math.log10(ratio)), large: large.name, largeValue: compact(large.scale), small: small.name, smallValue: compact(small.scale) },
    { hint: "add `normalize standard` to the data block: zero mean and unit variance, from the training split", ...fixOf(ctx.text, normalize, anchor) },
  );
}

/** Replace `normalize none`, or add `normalize standard` on a line of its own after the anchor setting. */
function fixOf(text: string, normalize: NormalizeSetting | undefined, anchor: A.Setting | undefined): { fix?: Fix } {
  const title = "Normalize the features (`normalize standard`)";
  const word = normalize?.setting.args[0]?.span;
  if (normalize && word) return { fix: { title, edits: [{ span: word, newText: "standard" }] } };
  if (!anchor) return {};
  const lineStart = text.lastIndexOf("\n", anchor.span.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const lineEnd = text.indexOf("\n", anchor.span.end);
  const at = lineEnd < 0 ? text.length : lineEnd;
  return { fix: { title, edits: [{ span: { start: at, end: at }, newText: `\n${indent}normalize standard` }] } };
}

function compact(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/**
 * Drops REG6005 on a data block whose every reader is a model that embeds
 * its input: those columns are ids, names rather than quantities, and
 * normalizing them is an error (REG6007). A data block is checked before
 * the models that read it, so the warning is dropped once they are known.
 */
export function withoutScaleWarningsOnIds(diagnostics: readonly Diagnostic[], models: Iterable<ModelInfo>): Diagnostic[] {
  const readers = new Map<DataInfo, boolean[]>();
  for (const model of models) {
    if (!model.data) continue;
    const embeds = model.layers.some(embedsInput);
    readers.set(model.data, [...(readers.get(model.data) ?? []), embeds]);
  }
  const idBlocks = [...readers].filter(([, embeds]) => embeds.every(Boolean)).map(([data]) => data.block.span);
  return diagnostics.filter((d) => d.code !== "REG6005" || !idBlocks.some((block) => d.span.start >= block.start && d.span.end <= block.end));
}
