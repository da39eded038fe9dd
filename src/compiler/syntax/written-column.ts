const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether the lexer reads `text` written bare as one name-shaped word (`true` and `false` included, which it reads as booleans). */
export function isIdentifier(text: string): boolean {
  return IDENTIFIER.test(text);
}

/**
 * A column name as a spec writes it: bare where the lexer reads it as one
 * name (`Horsepower`), a string otherwise (`"Body Mass (g)"`, `" a "`, and
 * `"true"`, which bare would be a boolean).
 */
export function writtenColumn(name: string): string {
  if (isIdentifier(name) && name !== "true" && name !== "false") return name;
  return `"${name.replace(/["\\]/g, "\\$&")}"`;
}
