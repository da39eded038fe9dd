import type { ArgSpec } from "../compiler/catalog/index.js";
import type { Callable } from "./callables.js";

/** Snippet text (LSP/TextMate syntax) for calls: required arguments become placeholders; plain text for clients without snippets. */

/** Escapes text inside a `${1:text}` placeholder. */
function escapePlaceholder(text: string): string {
  return text.replace(/[$}\\]/g, "\\$&");
}

/** Escapes a value inside a `${1|a,b|}` choice, where `,` and `|` are syntax too. */
function escapeChoice(text: string): string {
  return text.replace(/[$}\\,|]/g, "\\$&");
}

/** A tab stop offering these values; one value is a plain placeholder. */
export function choice(index: number, values: readonly string[]): string {
  return values.length === 1 ? `\${${index}:${escapePlaceholder(values[0]!)}}` : `\${${index}|${values.map(escapeChoice).join(",")}|}`;
}

function placeholder(arg: ArgSpec, index: number): string {
  // A string argument (a path) gets its quotes, with the cursor between them.
  return arg.type.kind === "string" ? `"\${${index}:${arg.name}}"` : `\${${index}:${arg.name}}`;
}

/**
 * `dense(${1:units})`, `fgsm(eps: ${1:eps})`, `flatten()`; a function with no
 * arguments at all is a bare word where a bare word calls it (`source mnist`).
 */
export function callSnippet(callable: Callable, bareAllowed: boolean): string {
  if (callable.args.length === 0) return bareAllowed ? callable.name : `${callable.name}()`;
  const required = callable.args.filter((a) => a.required);
  if (required.length === 0) return `${callable.name}($1)`;
  const positional = callable.args.filter((a) => a.positional);
  let bare = 0;
  // A value binds by position only while every positional argument before it is written too.
  const parts = required.map((arg, i) => {
    if (positional.indexOf(arg) === bare) {
      bare++;
      return placeholder(arg, i + 1);
    }
    return `${arg.name}: ${placeholder(arg, i + 1)}`;
  });
  return `${callable.name}(${parts.join(", ")})`;
}

/**
 * A call as plain text, for a client that takes no snippets: the call
 * opened, up to where its snippet's first placeholder goes (`dense(`,
 * `fgsm(eps: `, `csv("`), or whole where it has none (`flatten()`, `mnist`).
 */
export function callText(callable: Callable, bareAllowed: boolean): string {
  const snippet = callSnippet(callable, bareAllowed);
  const firstStop = snippet.indexOf("$");
  return firstStop < 0 ? snippet : snippet.slice(0, firstStop);
}
