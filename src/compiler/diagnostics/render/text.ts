import type { Diagnostic, Severity } from "../diagnostic.js";
import { LineIndex } from "../../syntax/span.js";
import { shownDiagnostics, type CheckedFile } from "./checked-file.js";
import { visiblePath, visibleText } from "./visible-text.js";

export interface TextOptions {
  /** ANSI colors; the CLI asks for them only on a terminal without NO_COLOR. */
  color: boolean;
}

/**
 * rustc-style text: a `path:line:col: severity[CODE]: message` header (1-based,
 * so editors and terminals can jump to it), the source line with a caret
 * underline, the hint, and each related location. Diagnostics are separated
 * by a blank line; past `MAX_SHOWN_PER_FILE` of a file, one line counts the rest.
 */
export function renderText(files: readonly CheckedFile[], options: TextOptions): string {
  const blocks: string[] = [];
  for (const file of files) {
    if (file.diagnostics.length === 0) continue;
    const lines = new LineIndex(file.text);
    const { shown, notShown } = shownDiagnostics(file);
    for (const diagnostic of shown) blocks.push(renderDiagnostic(visiblePath(file.path), lines, diagnostic, options));
    if (notShown) blocks.push(notShown);
  }
  return blocks.map((block) => `${block}\n`).join("\n");
}

function renderDiagnostic(path: string, lines: LineIndex, diagnostic: Diagnostic, options: TextOptions): string {
  const paint = painter(options.color);
  const start = lines.position(diagnostic.span.start);
  const end = lines.position(diagnostic.span.end);
  const fullLine = lines.lineText(start.line);
  const lineNumber = String(start.line + 1);
  const gutter = " ".repeat(lineNumber.length);
  const bar = paint("gutter", "|");

  // Past the end of the first line, the underline stops there.
  const endCharacter = end.line === start.line ? end.character : fullLine.length;
  const { text: excerpted, from } = excerpt(fullLine, start.character, endCharacter);
  const lineText = visibleText(excerpted);
  // Measured as shown: a character shown as its code point takes several columns.
  const width = Math.max(1, visibleText(excerpted.slice(start.character - from, endCharacter - from)).length);
  // Copy the line's tabs so the carets line up however the terminal expands them.
  const indent = visibleText(excerpted.slice(0, start.character - from)).replace(/[^\t]/g, " ");

  const out = [
    `${paint("strong", `${path}:${start.line + 1}:${start.character + 1}:`)} ${paint(diagnostic.severity, `${diagnostic.severity}[${diagnostic.code}]`)}: ${paint("strong", visibleText(diagnostic.message))}`,
    `${gutter} ${bar}`,
    `${paint("gutter", lineNumber)} ${bar} ${lineText}`,
    `${gutter} ${bar} ${indent}${paint(diagnostic.severity, "^".repeat(width))}`,
  ];
  if (diagnostic.hint) out.push(`${gutter} ${paint("gutter", "=")} ${paint("strong", "hint:")} ${visibleText(diagnostic.hint)}`);
  for (const related of diagnostic.related ?? []) {
    const at = lines.position(related.span.start);
    out.push(`${paint("strong", `${path}:${at.line + 1}:${at.character + 1}:`)} ${paint("note", "note")}: ${visibleText(related.message)}`);
  }
  return out.join("\n");
}

/** Longest source line shown whole; a longer one is cut to a window around the span, marked with `…`. */
const MAX_SHOWN = 160;
const CONTEXT = 40;

function excerpt(line: string, start: number, end: number): { text: string; from: number } {
  if (line.length <= MAX_SHOWN) return { text: line, from: 0 };
  const from = Math.max(0, start - CONTEXT);
  const to = Math.min(line.length, Math.max(end, start + 1) + CONTEXT, from + MAX_SHOWN);
  const text = line.slice(from, to);
  // The ellipses stand where the cut text was; the leading one takes the place of one character it covers.
  return from > 0 ? { text: `…${text.slice(1)}${to < line.length ? "…" : ""}`, from } : { text: `${text}${to < line.length ? "…" : ""}`, from };
}

type Style = Severity | "note" | "gutter" | "strong";

const ANSI: Record<Style, string> = {
  error: "\u001b[1;31m",
  warning: "\u001b[1;33m",
  info: "\u001b[1;36m",
  note: "\u001b[1;36m",
  gutter: "\u001b[1;34m",
  strong: "\u001b[1m",
};
const RESET = "\u001b[0m";

function painter(color: boolean): (style: Style, text: string) => string {
  return color ? (style, text) => `${ANSI[style]}${text}${RESET}` : (_style, text) => text;
}
