import { LineIndex, type Span } from "../syntax/span.js";
import { escapeControlCharacters } from "../../shared/tabular/index.js";
import type { BoundCall } from "../binder/bound-call.js";
import type { Value } from "../catalog/types.js";

/** What every part of the emitter reads beside the resolved model: the spec's text and how to point back into it. */
export class EmitContext {
  private readonly lines: LineIndex;

  constructor(
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

/** The value of a setting with one value (`seed 1`, `normalize standard`, `epochs 40`), if it was written and valid. */
export function settingValue(settings: ReadonlyMap<string, BoundCall>, name: string): Value | undefined {
  return settings.get(name)?.values["value"];
}

/**
 * Spec-derived text (a file name, a line of the spec) as it may stand in a
 * `//` or `/* … *\/` comment: line breaks and other control characters
 * escaped, and `*\/` broken, so it cannot end the comment early.
 */
export function commentText(text: string): string {
  return escapeControlCharacters(text).replace(/\*\//g, "*\\/");
}
