import type { Comment } from "../syntax/ast.js";
import type { Span } from "../syntax/span.js";
import type { Source } from "./source.js";

/**
 * Where each comment goes. At every level of nesting (the file's blocks, a
 * block's statements, a broken call's arguments) the items and the comments
 * between them are put in source order: a one-line comment that starts on the
 * line where an item ends trails that item; one on the opener's line (`{` or
 * `(`) before any item trails the opener; any other stands on its own line.
 * Comments inside an item are left to the item's printer.
 */

export type Entry<T> =
  | { kind: "item"; item: T; blankBefore: boolean; interior: Comment[]; trailing: Comment[] }
  | { kind: "comment"; comment: Comment; blankBefore: boolean };

export interface Arrangement<T> {
  afterOpener: Comment[];
  entries: Entry<T>[];
}

function isInside(comment: Comment, region: Span): boolean {
  return comment.span.start >= region.start && comment.span.end <= region.end;
}

export function commentsIn(comments: readonly Comment[], region: Span): Comment[] {
  return comments.filter((c) => isInside(c, region));
}

/** Splits comments into those inside one of the regions and the rest. */
export function partitionByRegions(comments: readonly Comment[], regions: readonly Span[]): { nested: Comment[]; rest: Comment[] } {
  const nested: Comment[] = [];
  const rest: Comment[] = [];
  for (const c of comments) (regions.some((r) => isInside(c, r)) ? nested : rest).push(c);
  return { nested, rest };
}

/**
 * Arranges `items` with `comments` (all comments of this level, including
 * those inside items). `openerEnd` is the offset just after the opener, if the
 * level has one.
 */
export function arrange<T extends { span: Span }>(
  source: Source,
  items: readonly T[],
  comments: readonly Comment[],
  openerEnd?: number,
): Arrangement<T> {
  const afterOpener: Comment[] = [];
  const entries: Entry<T>[] = [];
  const loose = comments.filter((c) => !items.some((item) => isInside(c, item.span)));
  let lastEnd = openerEnd ?? 0;
  // A comment starting on `trailLine` joins `trailTarget`; an own-line comment ends the chance.
  let trailTarget: Comment[] | undefined = openerEnd === undefined ? undefined : afterOpener;
  let trailLine = openerEnd === undefined ? -1 : source.line(openerEnd);

  const place = (comment: Comment) => {
    if (trailTarget && !source.spansLines(comment.span) && source.line(comment.span.start) === trailLine) {
      trailTarget.push(comment);
    } else {
      entries.push({ kind: "comment", comment, blankBefore: source.hasBlankLineBetween(lastEnd, comment.span.start) });
      trailTarget = undefined;
    }
    lastEnd = comment.span.end;
  };

  let next = 0;
  for (const item of items) {
    while (next < loose.length && loose[next]!.span.start < item.span.start) place(loose[next++]!);
    const entry: Entry<T> = {
      kind: "item",
      item,
      blankBefore: source.hasBlankLineBetween(lastEnd, item.span.start),
      interior: commentsIn(comments, item.span),
      trailing: [],
    };
    entries.push(entry);
    lastEnd = item.span.end;
    trailTarget = entry.trailing;
    trailLine = source.line(item.span.end);
  }
  while (next < loose.length) place(loose[next++]!);
  return { afterOpener, entries };
}
