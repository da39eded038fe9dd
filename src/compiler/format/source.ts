import type { Comment } from "../syntax/ast.js";
import { LineIndex, type Span } from "../syntax/span.js";
import { displayWidth } from "./display-width.js";

/** The text being formatted, answering the positional questions the printer asks of it. */
export class Source {
  private readonly index: LineIndex;
  private readonly commentEndByStart: Map<number, number>;

  constructor(
    readonly text: string,
    comments: readonly Comment[],
  ) {
    this.index = new LineIndex(text);
    this.commentEndByStart = new Map(comments.map((c) => [c.span.start, c.span.end]));
  }

  line(offset: number): number {
    return this.index.position(offset).line;
  }

  /** A comment's column on screen (`displayWidth`), if the source line reads exactly `code` before it. */
  columnAfter(comment: Comment, code: string): number | undefined {
    const lineStart = this.index.lineStart(this.line(comment.span.start));
    const before = this.text.slice(lineStart, comment.span.start);
    return before.trimEnd() === code ? displayWidth(before) : undefined;
  }

  spansLines(span: Span): boolean {
    return this.line(span.start) !== this.line(span.end);
  }

  /** Whether an empty line lies between two offsets (the gap holds two line breaks or more). */
  hasBlankLineBetween(from: number, to: number): boolean {
    const breaks = this.text.slice(from, to).match(/\r\n|\r|\n/g);
    return (breaks?.length ?? 0) >= 2;
  }

  /** The offset of the first `{` at or after `from` that is not inside a comment. */
  openBrace(from: number): number {
    for (let i = from; i < this.text.length; i++) {
      const commentEnd = this.commentEndByStart.get(i);
      if (commentEnd !== undefined) i = commentEnd - 1;
      else if (this.text[i] === "{") return i;
    }
    return this.text.length;
  }
}
