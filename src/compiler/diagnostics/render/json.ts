import type { Diagnostic } from "../diagnostic.js";
import { LineIndex, type Span } from "../../syntax/span.js";
import { summarize, type CheckedFile, type Summary } from "./checked-file.js";

/**
 * The `--format json` shape, documented in docs/json-output.md. Bump
 * `version` on any change that could break a reader; adding optional
 * fields is not one.
 */
export const JSON_OUTPUT_VERSION = 1;

export interface JsonOutput {
  version: typeof JSON_OUTPUT_VERSION;
  files: JsonFile[];
  summary: Summary;
}

export interface JsonFile {
  path: string;
  diagnostics: JsonDiagnostic[];
}

export interface JsonDiagnostic {
  code: string;
  severity: Diagnostic["severity"];
  message: string;
  hint?: string;
  range: JsonRange;
  related?: Array<{ range: JsonRange; message: string }>;
  fix?: { title: string; edits: Array<{ range: JsonRange; newText: string }> };
}

/** Lines and characters are 0-based UTF-16 counts, as in LSP; `offset` indexes the file's text. */
export interface JsonPosition {
  line: number;
  character: number;
  offset: number;
}

export interface JsonRange {
  start: JsonPosition;
  end: JsonPosition;
}

export function toJsonOutput(files: readonly CheckedFile[]): JsonOutput {
  return {
    version: JSON_OUTPUT_VERSION,
    files: files.map((file) => {
      const lines = new LineIndex(file.text);
      return { path: file.path, diagnostics: file.diagnostics.map((d) => toJsonDiagnostic(lines, d)) };
    }),
    summary: summarize(files),
  };
}

export function renderJson(files: readonly CheckedFile[]): string {
  return `${JSON.stringify(toJsonOutput(files), null, 2)}\n`;
}

function toJsonDiagnostic(lines: LineIndex, diagnostic: Diagnostic): JsonDiagnostic {
  const range = (span: Span): JsonRange => ({ start: position(lines, span.start), end: position(lines, span.end) });
  const out: JsonDiagnostic = {
    code: diagnostic.code,
    severity: diagnostic.severity,
    message: diagnostic.message,
    ...(diagnostic.hint ? { hint: diagnostic.hint } : {}),
    range: range(diagnostic.span),
  };
  if (diagnostic.related?.length) out.related = diagnostic.related.map((r) => ({ range: range(r.span), message: r.message }));
  if (diagnostic.fix) {
    out.fix = { title: diagnostic.fix.title, edits: diagnostic.fix.edits.map((e) => ({ range: range(e.span), newText: e.newText })) };
  }
  return out;
}

function position(lines: LineIndex, offset: number): JsonPosition {
  return { ...lines.position(offset), offset };
}
