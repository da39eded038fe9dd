import type { TextEdit } from "vscode-languageserver";
import { formatSpec } from "../compiler/format/index.js";
import type { Analysis } from "./analysis.js";
import type { Feature } from "./feature.js";
import { toRange } from "./positions.js";

/** Format document: the canonical layout of `regc fmt`; nothing while the text has syntax errors. */
export const formattingFeature: Feature = {
  capabilities: { documentFormattingProvider: true },
  register(context) {
    context.connection.onDocumentFormatting(({ textDocument }): TextEdit[] => {
      const analysis = context.analysisOf(textDocument.uri);
      const formatted = analysis && formatSpec(analysis.text);
      if (!analysis || !formatted?.ok || formatted.text === analysis.text) return [];
      return [changedLines(analysis, formatted.text)];
    });
  },
};

/**
 * One edit over the lines that differ, so the editor keeps the cursor and
 * undo history of untouched lines. Whole lines keep the edit off the middle
 * of a `\r\n`.
 */
function changedLines(analysis: Analysis, formatted: string): TextEdit {
  const before = analysis.text;
  let prefix = 0;
  while (prefix < before.length && prefix < formatted.length && before[prefix] === formatted[prefix]) prefix++;
  prefix = before.lastIndexOf("\n", prefix - 1) + 1;
  let suffix = 0;
  const room = Math.min(before.length, formatted.length) - prefix;
  while (suffix < room && before[before.length - 1 - suffix] === formatted[formatted.length - 1 - suffix]) suffix++;
  // Back to the end of a line: the first character kept is one just after a `\n`.
  while (suffix > 0 && before[before.length - suffix - 1] !== "\n") suffix--;
  return {
    range: toRange(analysis.lines, { start: prefix, end: before.length - suffix }),
    newText: formatted.slice(prefix, formatted.length - suffix),
  };
}
