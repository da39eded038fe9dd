import type * as A from "../syntax/ast.js";
import { parse } from "../syntax/parse.js";
import { formatSpec } from "../format/format.js";
import { findSpaces, type SearchSpace } from "./spaces.js";

/** A point of the search: for each space's name, a choice's text as written or a drawn number. */
export type Point = Readonly<Record<string, string | number>>;

/**
 * The spec at one point: each space replaced by its value, the `tune` block
 * removed, formatted. Comments are kept (those inside the `tune` block go
 * with it). What a trial trains and what `best.reg` holds.
 */
export function writePoint(text: string, point: Point): string {
  const { ast } = parse(text);
  const { spaces } = findSpaces(ast, text);
  const edits: Array<{ start: number; end: number; newText: string }> = spaces.map((space) => ({
    start: space.call.span.start,
    end: space.call.span.end,
    newText: valueText(space, point),
  }));
  for (const block of ast.blocks) {
    if (block.kind === "TuneBlock") edits.push({ ...wholeLines(text, block), newText: "" });
  }
  let written = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    written = written.slice(0, edit.start) + edit.newText + written.slice(edit.end);
  }
  const formatted = formatSpec(written);
  if (!formatted.ok) throw new Error(`the spec at this point does not format: ${formatted.reason}`);
  return formatted.text;
}

function valueText(space: SearchSpace, point: Point): string {
  const value = point[space.name];
  if (value === undefined) throw new Error(`the point has no value for \`${space.name}\``);
  return typeof value === "number" ? `${numberText(value)}${space.unit ?? ""}` : value;
}

/** A number as a person writes it: `0.35`, `3e-5`, `128`. */
export function numberText(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 1e-3) return String(value);
  return value.toExponential();
}

/** The block's lines, comments inside it included. */
function wholeLines(text: string, block: A.TuneBlock): { start: number; end: number } {
  let start = block.span.start;
  while (start > 0 && text[start - 1] !== "\n") start--;
  let end = block.span.end;
  while (end < text.length && text[end] !== "\n") end++;
  return { start, end: Math.min(text.length, end + 1) };
}
