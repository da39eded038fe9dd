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
  return [...renderJsonPieces(files)].join("");
}

/** The most diagnostics one piece of `renderJsonPieces` holds. */
export const DIAGNOSTICS_PER_PIECE = 1000;

/**
 * `renderJson`'s text, indented as `JSON.stringify` indents it, in pieces to
 * write one after another: a broken spec can hold millions of diagnostics,
 * and their document as one string would outgrow what a string may hold.
 */
export function* renderJsonPieces(files: readonly CheckedFile[]): Generator<string> {
  const [documentHead, documentTail] = emptyArray({ version: JSON_OUTPUT_VERSION, files: [], summary: summarize(files) }, "files", 0);
  let piece = `${documentHead}${opening(files.length, 2)}`;
  let held = 0;
  for (const [f, file] of files.entries()) {
    const lines = new LineIndex(file.text);
    const [fileHead, fileTail] = emptyArray({ path: file.path, diagnostics: [] }, "diagnostics", 2);
    piece += `${f > 0 ? `,\n${indent(2)}` : ""}${fileHead}${opening(file.diagnostics.length, 4)}`;
    for (const [d, diagnostic] of file.diagnostics.entries()) {
      piece += `${d > 0 ? `,\n${indent(4)}` : ""}${indented(toJsonDiagnostic(lines, diagnostic), 4)}`;
      if (++held === DIAGNOSTICS_PER_PIECE) {
        yield piece;
        piece = "";
        held = 0;
      }
    }
    piece += `${closing(file.diagnostics.length, 3)}${fileTail}`;
  }
  yield `${piece}${closing(files.length, 1)}${documentTail}\n`;
}

/** `value` as `JSON.stringify(value, null, 2)` writes it `depth` levels deep. */
function indented(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent(depth)}`);
}

/** `value`, whose `key` is an empty array, `depth` levels deep: its text before that array and after it. */
function emptyArray(value: object, key: string, depth: number): [string, string] {
  const text = indented(value, depth);
  const at = text.indexOf(`"${key}": []`) + key.length + 4;
  return [text.slice(0, at), text.slice(at + 2)];
}

function indent(depth: number): string {
  return "  ".repeat(depth);
}

/** An array's opening, before its first item `depth` levels deep; `[` of `[]` when it has none. */
function opening(length: number, depth: number): string {
  return length === 0 ? "[" : `[\n${indent(depth)}`;
}

/** An array's closing, its `]` `depth` levels deep. */
function closing(length: number, depth: number): string {
  return length === 0 ? "]" : `\n${indent(depth)}]`;
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
