/**
 * Spec text (a source line, a name quoted in a message) as a terminal or a
 * CI log may show it. A spec is anyone's text: a raw ESC in it would start a
 * sequence that clears the screen, retitles the window or forges colors. Each
 * control character becomes one visible character — its Unicode control
 * picture (`␛`), or `�` for the C1 controls that have none — so the caret
 * under a span keeps its column. Tabs stay: the caret line copies them.
 */
export function visibleText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, picture);
}

function picture(character: string): string {
  const code = character.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  return code === 0x7f ? "\u2421" : "\ufffd";
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
