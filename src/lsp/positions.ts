import type { Position as LspPosition, Range } from "vscode-languageserver";
import type { LineIndex, Span } from "../compiler/index.js";

/** Converts compiler spans (offsets) to LSP ranges (0-based line/character) and back. */
export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.position(span.start), end: lines.position(span.end) };
}

export function toOffset(lines: LineIndex, position: LspPosition): number {
  return lines.offset(position);
}

export function containsOffset(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}
