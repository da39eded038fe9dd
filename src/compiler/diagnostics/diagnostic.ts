import type { Span } from "../syntax/span.js";
import type { Code } from "./messages.js";

export type Severity = "error" | "warning" | "info";

export interface TextEdit {
  span: Span;
  newText: string;
}

/** A machine-applicable repair: the editor offers it as a code action. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface RelatedInfo {
  span: Span;
  message: string;
}

/** One finding about a spec. Diagnostics are data; renderers turn them into text. */
export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  span: Span;
  /** How to repair it, in words (shown under the caret). */
  hint?: string;
  related?: RelatedInfo[];
  fix?: Fix;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
}

/** Each finding once: two phases (or one phase reaching a statement twice) may find the same thing at the same place. */
export function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code} ${d.span.start} ${d.span.end} ${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
