import { CompletionItemKind, InsertTextFormat, type CompletionItem } from "vscode-languageserver";
import type { ArgSpec, SettingSpec } from "../compiler/catalog/index.js";
import type { ClauseKeyword } from "../compiler/syntax/ast.js";
import type { Callable } from "./callables.js";
import { asMarkdown as markdown } from "./catalog-markdown.js";
import { argDetail, argMarkdown, callableMarkdown, settingMarkdown } from "../compiler/reference/entry-markdown.js";
import { callSnippet, callText } from "./snippets.js";

/** Completion items for the catalog's vocabulary: callees, argument names and values, settings, clause keywords. */

const CALLABLE_KINDS = { layer: CompletionItemKind.Class, technique: CompletionItemKind.Function, function: CompletionItemKind.Function } as const;

function callableDetail(callable: Callable): string {
  switch (callable.kind) {
    case "technique":
      return `§${callable.spec.section} ${callable.spec.title}`;
    case "layer":
      return callable.spec.section ? `layer · §${callable.spec.section}` : "layer";
    case "function":
      return callable.spec.family.replace("_", " ");
  }
}

/**
 * A callee, inserted as a call snippet, or opened as plain text for a client
 * without snippets; only its name when a `(` already follows the cursor (the
 * user is renaming a call).
 */
export function calleeItem(callable: Callable, options: { bareAllowed: boolean; parenFollows: boolean; snippets: boolean }): CompletionItem {
  const item = { label: callable.name, kind: CALLABLE_KINDS[callable.kind], detail: callableDetail(callable), documentation: markdown(callableMarkdown(callable)) };
  if (options.parenFollows) return { ...item, insertText: callable.name };
  if (!options.snippets) return { ...item, insertText: callText(callable, options.bareAllowed) };
  const snippet = callSnippet(callable, options.bareAllowed);
  return { ...item, insertText: snippet, insertTextFormat: snippet === callable.name ? InsertTextFormat.PlainText : InsertTextFormat.Snippet };
}

/** `name: ` for each argument not given yet. */
export function argNameItems(callable: Callable, taken: ReadonlySet<string>): CompletionItem[] {
  return callable.args
    .filter((arg) => !taken.has(arg.name))
    .map((arg) => ({
      label: `${arg.name}:`,
      filterText: arg.name,
      kind: CompletionItemKind.Property,
      detail: argDetail(arg),
      documentation: markdown(argMarkdown(arg, callable.name)),
      insertText: `${arg.name}: `,
    }));
}

/** The words an argument of a fixed type can take: enum values and booleans. */
export function wordValueItems(arg: ArgSpec, owner: string): CompletionItem[] {
  const type = arg.type;
  const words = type.kind === "enum" ? type.values : type.kind === "boolean" ? ["true", "false"] : [];
  return words.map((word) => ({
    label: word,
    kind: type.kind === "enum" ? CompletionItemKind.EnumMember : CompletionItemKind.Value,
    detail: `${owner} ${arg.name}${arg.default === word || String(arg.default) === word ? " (default)" : ""}`,
    documentation: markdown(argMarkdown(arg, owner)),
  }));
}

/** Plain words a setting accepts (`normalize standard`, `target self`, `features all`). */
export function settingWordItems(setting: SettingSpec, words: readonly string[]): CompletionItem[] {
  return words.map((word) => ({
    label: word,
    kind: CompletionItemKind.EnumMember,
    detail: `${setting.name} value`,
    documentation: markdown(settingMarkdown(setting)),
  }));
}

/** A setting's keyword, followed by a space. */
export function settingItem(setting: SettingSpec): CompletionItem {
  return {
    label: setting.name,
    kind: CompletionItemKind.Property,
    detail: `${setting.block} setting${setting.required ? " · required" : ""}`,
    documentation: markdown(settingMarkdown(setting)),
    insertText: `${setting.name} `,
  };
}

/** `train: ` for each split name not given yet. */
export function namedSizeItems(setting: SettingSpec, names: readonly string[], taken: ReadonlySet<string>): CompletionItem[] {
  return names
    .filter((name) => !taken.has(name))
    .map((name) => ({
      label: `${name}:`,
      filterText: name,
      kind: CompletionItemKind.Property,
      detail: `${setting.name}: a row count or a fraction`,
      documentation: markdown(settingMarkdown(setting)),
      insertText: `${name}: `,
    }));
}

export function clauseKeywordItems(keywords: readonly ClauseKeyword[]): CompletionItem[] {
  return keywords.map((keyword) => ({ label: keyword, kind: CompletionItemKind.Keyword, detail: "clause", insertText: `${keyword} ` }));
}
