import { MarkupKind, type MarkupContent } from "vscode-languageserver";

/** Markdown as the protocol carries it, for hover contents and completion documentation. */
export function asMarkdown(value: string): MarkupContent {
  return { kind: MarkupKind.Markdown, value };
}
