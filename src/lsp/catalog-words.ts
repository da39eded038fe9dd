import * as catalog from "../compiler/catalog/index.js";
import type { ArgSpec } from "../compiler/catalog/types.js";

/**
 * The words the catalog defines, for features that must tell a spec's own
 * names from the vocabulary: callables (layers, techniques, functions) and
 * every other word (settings, argument names, enum values).
 */

let callables: ReadonlySet<string> | undefined;
let words: ReadonlySet<string> | undefined;

/** A layer, technique or function name: what may stand before `(`. */
export function isCatalogCallable(name: string): boolean {
  callables ??= new Set([...catalog.LAYERS, ...catalog.TECHNIQUES, ...catalog.FUNCTIONS].map((entry) => entry.name));
  return callables.has(name);
}

/** Any word the catalog defines. */
export function isCatalogWord(name: string): boolean {
  words ??= collectWords();
  return isCatalogCallable(name) || words.has(name);
}

function collectWords(): Set<string> {
  const found = new Set<string>();
  const addArgs = (args: readonly ArgSpec[]) => {
    for (const arg of args) {
      found.add(arg.name);
      if (arg.type.kind === "enum") arg.type.values.forEach((value) => found.add(value));
    }
  };
  for (const entry of [...catalog.LAYERS, ...catalog.TECHNIQUES, ...catalog.FUNCTIONS]) addArgs(entry.args);
  for (const setting of catalog.SETTINGS) {
    found.add(setting.name);
    const value = setting.value;
    if (value.kind === "args") addArgs(value.args);
    else if (value.kind === "binding" || value.kind === "columns") value.words.forEach((word) => found.add(word));
    else if (value.kind === "named_sizes") value.names.forEach((name) => found.add(name));
    else if (value.kind === "word") value.values.forEach((word) => found.add(word));
  }
  return found;
}
