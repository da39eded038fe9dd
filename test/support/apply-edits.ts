import type { TextEdit } from "vscode-languageserver";
import { LineIndex } from "../../src/compiler/index.js";

/** Applies LSP text edits (ranges in the original text) as an editor would. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const byOffset = edits
    .map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  return byOffset.reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}
