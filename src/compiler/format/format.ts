import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { parse } from "../syntax/parse.js";
import { LineIndex } from "../syntax/span.js";
import { renderLines, Writer } from "./lines.js";
import { printSpec } from "./print-spec.js";
import { Source } from "./source.js";

const BYTE_ORDER_MARK = "\ufeff";

/** A refusal carries the syntax errors that caused it, so a caller can show them without parsing again. */
export type FormatResult = { ok: true; text: string } | { ok: false; reason: string; errors: Diagnostic[] };

/**
 * The canonical layout of a spec, every comment kept. A spec with syntax
 * errors is refused: its AST has holes, and printing it would lose text.
 * The file's line endings and leading byte-order mark stay as they were.
 */
export function formatSpec(text: string): FormatResult {
  const { ast, diagnostics } = parse(text);
  const errors = diagnostics.filter((d) => d.severity === "error").sort((a, b) => a.span.start - b.span.start);
  const firstError = errors[0];
  if (firstError) {
    const at = new LineIndex(text).position(firstError.span.start);
    return { ok: false, reason: `syntax error at ${at.line + 1}:${at.character + 1} (${firstError.message}); fix it before formatting`, errors };
  }
  const source = new Source(text, ast.comments);
  const out = new Writer();
  printSpec({ source, out }, ast);
  const formatted = renderLines(out.lines, (comment, code) => source.columnAfter(comment, code));
  const lineEnding = /\r\n?|\n/.exec(text)?.[0] ?? "\n";
  const byteOrderMark = text.startsWith(BYTE_ORDER_MARK) ? BYTE_ORDER_MARK : "";
  return { ok: true, text: byteOrderMark + (lineEnding === "\n" ? formatted : formatted.replace(/\n/g, lineEnding)) };
}
