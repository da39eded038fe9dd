import type { Comment, Expr } from "../syntax/ast.js";
import { commentsIn, partitionByRegions } from "./comments.js";
import { displayWidth } from "./display-width.js";
import { bracketRegion, flatExpr, printExpr, type Printer } from "./print-expr.js";

/** A statement laid out as fixed text and expressions, in order, all on one line unless a call breaks. */
export type Piece = string | { expr: Expr | undefined };

/**
 * Writes one statement. Its comments that no call or list can hold (after a
 * name, between clauses) go on their own lines above it.
 */
export function printStatementLine(p: Printer, pieces: readonly Piece[], interior: readonly Comment[], indent: number): void {
  const regions = pieces.flatMap((piece) => {
    const region = typeof piece === "string" ? undefined : bracketRegion(piece.expr);
    return region ? [region] : [];
  });
  const { nested, rest } = partitionByRegions(interior, regions);
  for (const comment of rest) p.out.ownLine(comment, indent);
  p.out.startLine(indent);
  pieces.forEach((piece, i) => {
    if (typeof piece === "string") return p.out.write(piece);
    const region = bracketRegion(piece.expr);
    const suffixWidth = pieces.slice(i + 1).reduce((width, later) => width + flatWidth(later), 0);
    printExpr(p, piece.expr, region ? commentsIn(nested, region) : [], indent, suffixWidth);
  });
}

/** The columns a piece takes on screen, written flat. */
function flatWidth(piece: Piece): number {
  return displayWidth(typeof piece === "string" ? piece : flatExpr(piece.expr));
}

/** `a, b, c` as pieces, each item contributing its own. */
export function joinPieces<T>(items: readonly T[], toPieces: (item: T) => Piece[]): Piece[] {
  return items.flatMap((item, i) => (i === 0 ? toPieces(item) : [", ", ...toPieces(item)]));
}
