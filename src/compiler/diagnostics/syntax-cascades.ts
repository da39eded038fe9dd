import type { Diagnostic } from "./diagnostic.js";
import { LineIndex } from "../syntax/span.js";

/** Syntax codes: `REG0…`. */
function isSyntax(diagnostic: Diagnostic): boolean {
  return diagnostic.code.startsWith("REG0");
}

/**
 * Findings that something is absent from a statement: a missing argument
 * (`REG2003`), a missing clause (`REG4008`). On a line cut short by a syntax
 * error the absent part is often written after the error, where recovery
 * stopped reading (`classify(m.out d.label)` does give a target).
 */
const ABSENCE_CODES = new Set(["REG2003", "REG4008"]);

/**
 * A statement is one line, and after a syntax error error recovery guesses
 * at the rest of that line: what is found there (an argument read as a
 * setting, a `)` it expected) follows from the guess, not from the text.
 * Keeps each line's first syntax error and what precedes it on that line,
 * except findings of absence; other lines are untouched. `diagnostics` are
 * sorted by position.
 */
export function withoutSyntaxCascades(text: string, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  // Lines are looked up, not scanned for: one long line may hold thousands of errors.
  const lines = new LineIndex(text);
  const lineOf = (diagnostic: Diagnostic) => lines.position(diagnostic.span.start).line;
  const firstSyntaxByLine = new Map<number, number>();
  for (const diagnostic of diagnostics) {
    const line = lineOf(diagnostic);
    if (isSyntax(diagnostic) && !firstSyntaxByLine.has(line)) firstSyntaxByLine.set(line, diagnostic.span.start);
  }
  if (firstSyntaxByLine.size === 0) return [...diagnostics];
  const kept = new Set<number>();
  return diagnostics.filter((diagnostic) => {
    const firstSyntax = firstSyntaxByLine.get(lineOf(diagnostic));
    if (firstSyntax === undefined) return true;
    if (diagnostic.span.start < firstSyntax) return !ABSENCE_CODES.has(diagnostic.code);
    // The first syntax error itself, once.
    if (!isSyntax(diagnostic) || diagnostic.span.start !== firstSyntax || kept.has(firstSyntax)) return false;
    kept.add(firstSyntax);
    return true;
  });
}
