const SPACE = /[ \t\n\r]*/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/**
 * Where JSON text that `JSON.parse` refused stops being JSON, as line and
 * column (from 1; the column in UTF-16 units, as editors count them in
 * most scripts): node names only an offset, and for an unexpected token
 * not even that. An unterminated string is placed where it opens. Read by
 * a loop over a stack of open arrays and objects, so no nesting is too deep.
 */
export function jsonSyntaxErrorAt(text: string): { line: number; column: number } {
  const offset = syntaxErrorOffset(text);
  const before = text.slice(0, offset);
  return { line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
}

function syntaxErrorOffset(text: string): number {
  /** What closes each open array or object, innermost last. */
  const open: string[] = [];
  let at = 0;
  const read = (pattern: RegExp): boolean => {
    pattern.lastIndex = at;
    if (!pattern.test(text)) return false;
    at = pattern.lastIndex;
    return true;
  };
  const key = (): boolean => read(STRING) && (read(SPACE), text[at] === ":") && (at++, true);
  for (;;) {
    // A value starts here.
    read(SPACE);
    const opening = text[at];
    if (opening === "[" || opening === "{") {
      const closing = opening === "[" ? "]" : "}";
      at++;
      read(SPACE);
      if (text[at] === closing) at++;
      else {
        open.push(closing);
        if (opening === "{" && !key()) return at;
        continue;
      }
    } else if (!(read(STRING) || read(NUMBER) || read(LITERAL))) return at;
    // A value ended here: close what it ends, or go on to the next element.
    for (;;) {
      read(SPACE);
      const closing = open.at(-1);
      if (closing === undefined) return at;
      if (text[at] === closing) {
        open.pop();
        at++;
        continue;
      }
      if (text[at] !== ",") return at;
      at++;
      if (closing === "}" && !(read(SPACE), key())) return at;
      break;
    }
  }
}
