const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A column name as a spec writes it: bare where the lexer reads it as one
 * name (`Horsepower`), a string otherwise (`"Body Mass (g)"`, `" a "`, and
 * `"true"`, which bare would be a boolean).
 */
export function writtenColumn(name: string): string {
  if (IDENTIFIER.test(name) && name !== "true" && name !== "false") return name;
  return `"${name.replace(/["\\]/g, "\\$&")}"`;
}
