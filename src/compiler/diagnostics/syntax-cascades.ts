import type { Diagnostic } from "./diagnostic.js";

/** Syntax codes: `REG0…`. */
function isSyntax(diagnostic: Diagnostic): boolean {
  return diagnostic.code.startsWith("REG0");
}

/**
 * A statement is one line, and after a syntax error error recovery guesses
 * at the rest of that line: what is found there (an argument read as a
 * setting, a `)` it expected) follows from the guess, not from the text.
 * Keeps each line's first syntax error and what precedes it on that line;
 * other lines are untouched. `diagnostics` are sorted by position.
 */
export function withoutSyntaxCascades(text: string, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  let lineEnd = -1;
  let firstSyntax: Diagnostic | undefined;
  return diagnostics.filter((diagnostic) => {
    const at = diagnostic.span.start;
    if (at > lineEnd) {
      const newline = text.indexOf("\n", at);
      lineEnd = newline === -1 ? text.length : newline;
      firstSyntax = undefined;
    }
    if (firstSyntax) return at < firstSyntax.span.start;
    if (isSyntax(diagnostic)) firstSyntax = diagnostic;
    return true;
  });
}
