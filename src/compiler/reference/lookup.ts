import * as catalog from "../catalog/index.js";
import { blockMarkdown, callableMarkdown, settingMarkdown } from "./entry-markdown.js";

/**
 * Every catalog entry of a name, as markdown: a word may name several
 * (`dropout` is a layer and a technique, `seed` a data and a train setting).
 */
export function entriesNamed(name: string): string[] {
  const block = catalog.block(name);
  return [
    ...(block ? [blockMarkdown(block)] : []),
    ...catalog.SETTINGS.filter((s) => s.name === name).map(settingMarkdown),
    ...catalog.LAYERS.filter((l) => l.name === name).map((spec) => callableMarkdown({ kind: "layer", spec })),
    ...catalog.FUNCTIONS.filter((f) => f.name === name).map((spec) => callableMarkdown({ kind: "function", spec })),
    ...catalog.TECHNIQUES.filter((t) => t.name === name).map((spec) => callableMarkdown({ kind: "technique", spec })),
  ];
}

/** Every name `entriesNamed` knows, for did-you-mean. */
export function catalogNames(): string[] {
  return [...new Set([...catalog.BLOCKS, ...catalog.SETTINGS, ...catalog.LAYERS, ...catalog.FUNCTIONS, ...catalog.TECHNIQUES].map((entry) => entry.name))];
}

/**
 * Where a word is one of the values an argument or setting takes
 * (`relu` for `dense`'s `activation`, `drop` for `missing`): each as
 * `NAME` (a setting) or `NAME` argument `ARG`, with the entry to read.
 */
export function valueOwners(word: string): Array<{ where: string; entry: string }> {
  const owners: Array<{ where: string; entry: string }> = [];
  const callables = [...catalog.LAYERS, ...catalog.FUNCTIONS, ...catalog.TECHNIQUES];
  for (const callable of callables) {
    for (const arg of callable.args) {
      if (arg.type.kind === "enum" && arg.type.values.includes(word)) owners.push({ where: `\`${callable.name}\` argument \`${arg.name}\``, entry: callable.name });
    }
  }
  for (const setting of catalog.SETTINGS) {
    const value = setting.value;
    const words = value.kind === "word" ? value.values : value.kind === "binding" || value.kind === "columns" ? value.words : value.kind === "args" ? value.args.flatMap((arg) => (arg.type.kind === "enum" ? arg.type.values : [])) : [];
    if (words.includes(word) || setting.qualifiers?.includes(word)) owners.push({ where: `\`${setting.name}\` in \`${setting.block}\``, entry: setting.name });
  }
  return owners.filter((owner, i) => owners.findIndex((other) => other.where === owner.where) === i);
}
