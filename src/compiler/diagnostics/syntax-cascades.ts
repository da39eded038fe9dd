import type { Diagnostic } from "./diagnostic.js";
import { LineIndex } from "../syntax/span.js";

/** Syntax codes: `REG0…`. */
function isSyntax(diagnostic: Diagnostic): boolean {
  return diagnostic.code.startsWith("REG0");
}

/**
 * A character the lexer could not read (`REG0002`) is left out of the
 * tokens, and the parser reads its line as if it were not there: nothing
 * after it is a guess. Except `#`, a comment where it comes from (Python,
 * YAML): what follows it on the line was never meant as `.reg`.
 */
function readPast(text: string, diagnostic: Diagnostic): boolean {
  return diagnostic.code === "REG0002" && text[diagnostic.span.start] !== "#";
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
 * Keeps each line's first error of the parser's (`parserErrors`; not a
 * character the lexer left out, see `readPast`) and what
 * precedes it on that line and ends before it, except findings of absence and the checker's
 * own syntax findings, which judge the statement's shape as recovery read
 * it (`features all target …` read `all` as a word before the value);
 * other lines are untouched. `diagnostics` are sorted by position.
 */
export function withoutSyntaxCascades(text: string, diagnostics: readonly Diagnostic[], parserErrors: ReadonlySet<Diagnostic>): Diagnostic[] {
  // Lines are looked up, not scanned for: one long line may hold thousands of errors.
  const lines = new LineIndex(text);
  const lineOf = (diagnostic: Diagnostic) => lines.position(diagnostic.span.start).line;
  const firstSyntaxByLine = new Map<number, Diagnostic>();
  for (const diagnostic of diagnostics) {
    const line = lineOf(diagnostic);
    if (parserErrors.has(diagnostic) && isSyntax(diagnostic) && !readPast(text, diagnostic) && !firstSyntaxByLine.has(line)) firstSyntaxByLine.set(line, diagnostic);
  }
  if (firstSyntaxByLine.size === 0) return [...diagnostics];
  return diagnostics.filter((diagnostic) => {
    const firstSyntax = firstSyntaxByLine.get(lineOf(diagnostic));
    if (firstSyntax === undefined || diagnostic === firstSyntax) return true;
    // Past the first parser error, and a second error at its very place.
    if (diagnostic.span.start >= firstSyntax.span.start) return false;
    // A finding of the checker's about text that runs into the error (`epochs --3`, read as -3) judges what recovery made of it.
    if (!isSyntax(diagnostic) && diagnostic.span.end > firstSyntax.span.start) return false;
    return !ABSENCE_CODES.has(diagnostic.code) && (parserErrors.has(diagnostic) || !isSyntax(diagnostic));
  });
}
