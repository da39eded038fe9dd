import { MarkupKind, type MarkupContent } from "vscode-languageserver";

/** Markdown as the protocol carries it, for hover contents and completion documentation. */
export function asMarkdown(value: string): MarkupContent {
  return { kind: MarkupKind.Markdown, value };
}

/**
 * Whether a client reads documentation as plain text: the formats it lists
 * (hover's `contentFormat`, a `documentationFormat`), most preferred first,
 * put plain text before markdown. A client that lists none gets markdown.
 */
export function readsPlainText(formats: readonly string[] | undefined): boolean {
  return formats?.find((format) => format === MarkupKind.Markdown || format === MarkupKind.PlainText) === MarkupKind.PlainText;
}

/** Content as a client that reads plain text gets it: markdown reduced to readable text. */
export function asPlainText(content: MarkupContent): MarkupContent {
  return content.kind === MarkupKind.PlainText ? content : { kind: MarkupKind.PlainText, value: markdownText(content.value) };
}

const FENCED_BLOCK = /(```\w*\n[\s\S]*?\n```)/;

/** Markdown as text: fenced blocks indented, and no markers of bold, italic or code around the words. */
export function markdownText(markdown: string): string {
  return markdown
    .split(FENCED_BLOCK)
    .map((part, i) => (i % 2 === 1 ? part.replace(/^```\w*\n|\n```$/g, "").replace(/^/gm, "    ") : inlineText(part)))
    .join("");
}

function inlineText(text: string): string {
  return (
    text
      .replace(/\*\*/g, "")
      .replace(/`([^`\n]*)`/g, "$1")
      // A line in italics (a reference), not the `*` of a glob.
      .replace(/^\*(\S[^\n]*\S)\*$/gm, "$1")
  );
}
