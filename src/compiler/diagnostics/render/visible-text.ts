/**
 * Spec text (a source line, a name quoted in a message) as a terminal or a
 * CI log may show it. A spec is anyone's text: a raw ESC in it would start a
 * sequence that clears the screen, retitles the window or forges colors. Each
 * control character becomes one visible character — its Unicode control
 * picture (`␛`), or `�` for the C1 controls that have none. Tabs stay: the
 * caret line copies them. A character that reorders the text around it, as
 * a Trojan Source spec hides code with (U+202E), or that ends a line in some
 * viewers (U+2028), is shown as its code point, `<U+202E>`.
 */
export function visibleText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, picture).replace(/[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, codePoint);
}

function picture(character: string): string {
  const code = character.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  return code === 0x7f ? "\u2421" : "\ufffd";
}

function codePoint(character: string): string {
  return `<U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}>`;
}

/**
 * A file's path as text output and stderr show it: every control character,
 * a tab too, as its picture. Whoever writes a pull request names its files,
 * and a name holding a line break and `::error::` would start a workflow
 * command in a CI log, one holding ESC a terminal escape.
 */
export function visiblePath(path: string): string {
  return visibleText(path).replace(/\t/g, "\u2409");
}
