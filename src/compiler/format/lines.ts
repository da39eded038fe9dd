import type { Comment } from "../syntax/ast.js";
import { displayWidth } from "./display-width.js";

/** One line of output: code (or an own-line comment) and the comments that trail it. */
export interface OutputLine {
  indent: number;
  code: string;
  trailing: Comment[];
}

/** Collects output lines; code is written onto the last one. */
export class Writer {
  readonly lines: OutputLine[] = [];

  /** Starts a new line of code. */
  startLine(indent: number): void {
    this.lines.push({ indent, code: "", trailing: [] });
  }

  write(text: string): void {
    this.current().code += text;
  }

  /** The screen column the next written character lands in. */
  get column(): number {
    const line = this.current();
    return line.indent + displayWidth(line.code);
  }

  trail(comments: readonly Comment[]): void {
    this.current().trailing.push(...comments);
  }

  /** A comment on a line of its own; a block comment's inner lines are kept as written. */
  ownLine(comment: Comment, indent: number): void {
    this.lines.push({ indent, code: comment.text.replace(/\r\n?/g, "\n"), trailing: [] });
  }

  blankLine(): void {
    this.lines.push({ indent: 0, code: "", trailing: [] });
  }

  private current(): OutputLine {
    const line = this.lines[this.lines.length - 1];
    if (!line) throw new Error("write before startLine");
    return line;
  }
}

/**
 * Joins the lines with `\n`. Trailing comments on consecutive lines form a
 * run, aligned to one column two spaces past the run's longest code, columns
 * counted as the screen shows them (`displayWidth`: `"数据"` takes four). Where a
 * line's code was already written exactly as printed, its comment keeps its
 * source column if that lies further right, and the run's first comment takes
 * the column of the whole run with it: hand alignment survives (contract
 * examples E and F), and formatting twice changes nothing.
 */
export function renderLines(lines: readonly OutputLine[], keptColumn: (comment: Comment, code: string) => number | undefined): string {
  const rendered: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let end = i;
    while (end < lines.length && lines[end]!.trailing.length > 0) end++;
    if (end === i) {
      rendered.push(codeOf(lines[i++]!));
      continue;
    }
    const run = lines.slice(i, end).map((line) => {
      const code = codeOf(line);
      return { code, width: displayWidth(code), comments: line.trailing, kept: keptColumn(line.trailing[0]!, code) ?? 0 };
    });
    const column = Math.max(...run.map((line) => line.width + 2), run[0]!.kept);
    for (const line of run) {
      const padding = " ".repeat(Math.max(column, line.kept) - line.width);
      rendered.push(line.code + padding + line.comments.map((c) => c.text).join(" "));
    }
    i = end;
  }
  return rendered.length === 0 ? "" : `${rendered.join("\n")}\n`;
}

function codeOf(line: OutputLine): string {
  return line.code === "" ? "" : " ".repeat(line.indent) + line.code;
}
