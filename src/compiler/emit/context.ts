import type * as A from "../syntax/ast.js";
import type { CheckResult } from "../checker/check.js";
import { LineIndex, type Span } from "../syntax/span.js";
import { escapeControlCharacters } from "../../shared/tabular/index.js";

/** What every part of the emitter reads: the checked spec and how to point back into it. */
export class EmitContext {
  private readonly lines: LineIndex;

  constructor(
    readonly checked: CheckResult,
    readonly text: string,
    /** The spec's file name, for comments (`a-mlp.reg`). */
    readonly specName: string,
  ) {
    this.lines = new LineIndex(text);
  }

  /** `a-mlp.reg:12`: where a piece of the generated code comes from. */
  where(at: Span): string {
    return `${commentText(this.specName)}:${this.lines.position(at.start).line + 1}`;
  }

  /** The source text of a node, on one line, for comments. */
  source(at: Span): string {
    return commentText(this.text.slice(at.start, at.end).replace(/\s+/g, " ").trim());
  }
}

/** A setting of a block by keyword (`split`, `seed`). */
export function settingOf(body: readonly A.Statement[], keyword: string): A.Setting | undefined {
  return body.find((s): s is A.Setting => s.kind === "Setting" && s.keyword.name === keyword);
}

/** The bare word of a setting like `normalize standard`. */
export function settingWord(body: readonly A.Statement[], keyword: string): string | undefined {
  const value = settingOf(body, keyword)?.args[0]?.value;
  return value?.kind === "Ref" ? value.segments[0]?.name : undefined;
}

export function settingNumber(body: readonly A.Statement[], keyword: string): number | undefined {
  const value = settingOf(body, keyword)?.args[0]?.value;
  return value?.kind === "Number" ? value.value : undefined;
}

/**
 * Spec-derived text (a file name, a line of the spec) as it may stand in a
 * `//` or `/* … *\/` comment: line breaks and other control characters
 * escaped, and `*\/` broken, so it cannot end the comment early.
 */
export function commentText(text: string): string {
  return escapeControlCharacters(text).replace(/\*\//g, "*\\/");
}
