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
