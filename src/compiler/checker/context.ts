import type * as A from "../syntax/ast.js";
import type { DiagnosticSink } from "../diagnostics/report.js";
import type { Program } from "./program.js";
import type { Span } from "../syntax/span.js";
import type { Fix } from "../diagnostics/diagnostic.js";
import type { DataAccess } from "../sources/data-access.js";

export interface CheckContext {
  text: string;
  /** The spec's path on disk, if it has one. */
  path?: string;
  sink: DiagnosticSink;
  program: Program;
  /** Folders outside the spec's project that data may be read from. */
  dataAccess?: DataAccess;
  /** The most bytes training one model may hold at once (REG3008). */
  memoryBudget?: number;
  /** Kinds of blocks written without their name (a syntax error): an unknown name of that kind may be theirs. */
  nameless?: ReadonlySet<"data" | "model">;
  /** Names written after a keyword no block has (`dta digits {`): the block, skipped unread, may have declared them. */
  namesOfUnknownBlocks?: ReadonlySet<string>;
  /** Where a block comment that is never closed starts (REG0004): what follows it is not read, blocks and settings included. */
  unreadFrom?: number;
  /** Block keywords an unknown block's keyword is nearest to (`tsak` for `task`): a block of that kind may be written there, unread. */
  unreadBlocks?: ReadonlySet<string>;
  /** Names two blocks declare (REG5001): a use of one that finds the other kind of block may mean the one not kept. */
  declaredTwice?: ReadonlySet<string>;
}

/** The span of a statement's whole line(s), newline included: what deleting it removes. */
export function lineSpan(text: string, at: Span): Span {
  let start = at.start;
  while (start > 0 && text[start - 1] !== "\n") start--;
  let end = at.end;
  while (end < text.length && text[end] !== "\n") end++;
  return { start, end: Math.min(text.length, end + 1) };
}

export function removeStatementFix(text: string, statement: Pick<A.Statement, "span">, title: string): Fix {
  return { title, edits: [{ span: lineSpan(text, statement.span), newText: "" }] };
}

/** Leading whitespace of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== "\n") start--;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/**
 * Whether the spec may hold a block of `kind` that was not read: one
 * written with a misspelt keyword (REG0006), or any kind after a comment
 * that is never closed (REG0004). What the checker would say is
 * missing may be in it, so it says nothing of what that kind provides.
 */
export function mayHoldUnread(ctx: CheckContext, kind: string): boolean {
  return ctx.unreadFrom !== undefined || (ctx.unreadBlocks?.has(kind) ?? false);
}
