import type { Diagnostic, Severity } from "../diagnostic.js";
import { MESSAGES } from "../messages.js";
import { LineIndex } from "../../syntax/span.js";
import { shownDiagnostics, type CheckedFile } from "./checked-file.js";
import { visibleText } from "./visible-text.js";

/**
 * GitHub Actions workflow commands, one line per diagnostic, which the
 * runner turns into annotations on the pull request:
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
 * Lines and columns are 1-based; `endColumn` is inclusive.
 */
export function renderGithub(files: readonly CheckedFile[]): string {
  const out: string[] = [];
  for (const file of files) {
    const lines = new LineIndex(file.text);
    const { shown, notShown } = shownDiagnostics(file);
    for (const diagnostic of shown) out.push(renderAnnotation(file.path, lines, diagnostic));
    if (notShown) out.push(`::notice file=${escapeProperty(file.path)}::${escapeData(notShown)}`);
  }
  return out.map((line) => `${line}\n`).join("");
}

const COMMANDS: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

function renderAnnotation(path: string, lines: LineIndex, diagnostic: Diagnostic): string {
  const start = lines.position(diagnostic.span.start);
  const end = lines.position(diagnostic.span.end);
  // A 0-based exclusive end is the 1-based inclusive end column; an empty span still marks one column.
  const endColumn = Math.max(end.line === start.line ? start.character + 1 : 1, end.character);
  const title = `${diagnostic.code} ${MESSAGES[diagnostic.code].title}`;
  const properties = [
    ["file", path],
    ["line", start.line + 1],
    ["col", start.character + 1],
    ["endLine", end.line + 1],
    ["endColumn", endColumn],
    ["title", title],
  ] as const;
  const message = diagnostic.hint ? `${visibleText(diagnostic.message)}\nhint: ${visibleText(diagnostic.hint)}` : visibleText(diagnostic.message);
  const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(",");
  return `::${COMMANDS[diagnostic.severity]} ${props}::${escapeData(message)}`;
}

/** The message after `::`: GitHub decodes `%25`, `%0D` and `%0A`. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A property value must also not contain the `:` and `,` that delimit properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
