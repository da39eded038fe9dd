import { check, type Diagnostic } from "../../src/compiler/index.js";
import { join } from "node:path";
import { EXAMPLES_DIR } from "./examples.js";

/** The spec path used for inline test specs, so data paths resolve beside the examples. */
export const INLINE_SPEC_PATH = join(EXAMPLES_DIR, "inline.reg");

export function diagnose(text: string, path = INLINE_SPEC_PATH): Diagnostic[] {
  return check(text, { path }).diagnostics;
}

/** `CODE text-under-span` for each diagnostic: compact and position-checking. */
export function summarize(text: string, diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${text.slice(d.span.start, d.span.end)}`);
}

export function applyFix(text: string, diagnostic: Diagnostic): string {
  const edits = [...(diagnostic.fix?.edits ?? [])].sort((a, b) => b.span.start - a.span.start);
  return edits.reduce((t, e) => t.slice(0, e.span.start) + e.newText + t.slice(e.span.end), text);
}
