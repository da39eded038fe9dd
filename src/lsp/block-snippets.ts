import { CompletionItemKind, InsertTextFormat, type CompletionItem } from "vscode-languageserver";
import * as catalog from "../compiler/catalog/index.js";
import type { SettingSpec } from "../compiler/catalog/index.js";
import type { Program } from "../compiler/checker/program.js";
import { choice } from "./snippets.js";

/**
 * Whole-block snippets for the top level (the keywords alone for a client
 * that takes no snippets). The settings a block requires come
 * from the catalog, each with a placeholder or a choice of its values; the
 * names a block refers to (data, models) come from the spec being edited.
 */

const INDENT = "  ";

/** Numbers tab stops in order of appearance. */
class TabStops {
  private count = 0;
  next(): number {
    return ++this.count;
  }
}

function names(values: Iterable<string>, fallback: string): string[] {
  const list = [...values];
  return list.length > 0 ? list : [fallback];
}

function settingLine(setting: SettingSpec, stops: TabStops): string {
  const value = setting.value;
  const functionNames = (family: catalog.FunctionFamily) => catalog.functionsOf(family).map((f) => f.name);
  switch (value.kind) {
    case "call":
      return `${setting.name} ${choice(stops.next(), functionNames(value.family))}`;
    case "binding":
      return `${setting.name} \${${stops.next()}:name} = ${choice(stops.next(), functionNames(value.family))}(\${${stops.next()}})`;
    case "named_sizes":
      return `${setting.name} ${value.names[0] ?? "train"}: \${${stops.next()}}`;
    case "columns":
      return `${setting.name} \${${stops.next()}}`;
    case "word":
      return `${setting.name} ${choice(stops.next(), value.values)}`;
    case "args":
      return `${setting.name} \${${stops.next()}}`;
  }
}

function settingsBody(block: "data" | "train", stops: TabStops): string {
  return catalog
    .settingsOf(block)
    .filter((s) => s.required)
    .map((s) => `${INDENT}${settingLine(s, stops)}`)
    .join("\n");
}

function snippet(label: string, detail: string, body: string): CompletionItem {
  return { label, kind: CompletionItemKind.Snippet, detail, insertText: body, insertTextFormat: InsertTextFormat.Snippet };
}

/** The block keywords: whole-block snippets, or the keyword alone for a client that takes no snippets. */
export function blockItems(program: Program, snippets: boolean): CompletionItem[] {
  const items = snippets ? blockSnippetItems(program) : blockSnippetItems(program).map(({ label, detail }) => ({ label, kind: CompletionItemKind.Keyword, detail }));
  // A spec has one `train` block and at most one `tune` block.
  return items.filter((s) => !(s.label === "train" && program.train) && !(s.label === "tune" && program.tune));
}

function blockSnippetItems(program: Program): CompletionItem[] {
  const data = names(program.data.keys(), "data");
  const models = names(program.models.keys(), "model");
  const tasks = catalog.functionsOf("task").map((f) => f.name);
  const dataStops = new TabStops();
  const dataHead = `data \${${dataStops.next()}:name} {`;
  const trainStops = new TabStops();
  return [
    snippet("data", "data block: source, targets, splits", `${dataHead}\n${settingsBody("data", dataStops)}\n}`),
    snippet("model", "model block: layers", `model \${1:name}(${choice(2, data)}.input) {\n${INDENT}$0\n}`),
    snippet("task", "task: what is predicted and how it is scored", `task \${1:name} = ${choice(2, tasks)}(${choice(3, models)}.\${4:output}, ${choice(5, data)}.\${6:target})`),
    snippet("train", "train block: optimizer, epochs, batch", `train {\n${settingsBody("train", trainStops)}\n}`),
    snippet("regularize", "regularize block: the regularization clauses", `regularize ${choice(1, models)} {\n${INDENT}$0\n}`),
    snippet("tune", "tune block: how `regc tune` searches the spec's search spaces", `tune {\n${INDENT}trials    \${1:20}\n${INDENT}objective ${choice(2, ["maximize val_accuracy", "minimize val_loss"])}\n${INDENT}method    ${choice(3, ["random", "grid", "halving"])}\n}`),
  ];
}
