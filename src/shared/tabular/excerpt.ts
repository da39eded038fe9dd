/** The most characters of a data file's content that any message quotes. */
export const EXCERPT_LENGTH = 40;

/**
 * A data file's text (a cell, a column name) as a message may quote it:
 * control and line-separator characters escaped, so it cannot start a new
 * line or annotation, and cut to {@link EXCERPT_LENGTH} characters, so a
 * message never carries more than a glimpse of a file's content.
 */
export function excerpt(text: string, length = EXCERPT_LENGTH): string {
  const cut = [...text.slice(0, length * 2)];
  const shown = cut.length > length || text.length > length * 2 ? `${cut.slice(0, length).join("")}…` : cut.join("");
  return escapeControlCharacters(shown);
}

/** Control and line-separator characters as escapes (`\n`, `\u0000`): text that cannot break a line, an annotation or a comment. */
export function escapeControlCharacters(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, escapeCharacter);
}

function escapeCharacter(character: string): string {
  const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
  return named[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** A quoted excerpt: `"…"`, for a cell's value. */
export function quotedExcerpt(text: string): string {
  return `"${excerpt(text).replace(/"/g, '\\"')}"`;
}
