import type { Arg, Comment, Expr } from "../syntax/ast.js";
import type { Span } from "../syntax/span.js";
import { arrange, partitionByRegions } from "./comments.js";
import type { Writer } from "./lines.js";
import type { Source } from "./source.js";
import { displayWidth } from "./display-width.js";

/** Lines longer than this break their calls and lists one argument per line. */
const MAX_LINE_WIDTH = 100;

export interface Printer {
  source: Source;
  out: Writer;
}

/** The one-line form of an expression. */
export function flatExpr(expr: Expr | undefined): string {
  switch (expr?.kind) {
    case undefined:
      return "";
    case "Number":
      return expr.raw;
    case "String":
      return quote(expr.value);
    case "Bool":
      return String(expr.value);
    case "Ref":
      return expr.segments.map((s) => s.name).join(".");
    case "List":
      return `[${expr.items.map(flatExpr).join(", ")}]`;
    case "Call":
      return `${expr.callee.name}(${expr.args.map(flatArg).join(", ")})`;
  }
}

function flatArg(arg: Arg): string {
  return argPrefix(arg) + flatExpr(arg.value);
}

/** `name: ` for a named argument, `name = ` for a binding, nothing for a positional one. */
export function argPrefix(arg: Arg): string {
  if (!arg.name) return "";
  return arg.form === "binding" ? `${arg.name.name} = ` : `${arg.name.name}: `;
}

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

/**
 * The part of a call or list between its brackets, where a comment makes it
 * break. A call's starts right after its name, so a comment before `(` counts.
 */
export function bracketRegion(expr: Expr | undefined): Span | undefined {
  if (expr?.kind === "Call") return { start: expr.callee.span.end, end: expr.span.end };
  if (expr?.kind === "List") return expr.span;
  return undefined;
}

/**
 * Writes `expr` at the writer's position. A call or list stays on one line
 * unless a comment sits between its brackets or the line (with `suffixWidth`
 * more columns after it) is too long on screen; then it breaks, one
 * argument per line. `comments` are those inside its brackets.
 */
export function printExpr(p: Printer, expr: Expr | undefined, comments: readonly Comment[], indent: number, suffixWidth: number): void {
  const flat = flatExpr(expr);
  if (expr?.kind !== "Call" && expr?.kind !== "List") return p.out.write(flat);
  const elements = expr.kind === "Call" ? expr.args : expr.items;
  if (comments.length === 0 && (elements.length === 0 || !breakingHelps(p.out.column + displayWidth(flat), indent, suffixWidth))) {
    return p.out.write(flat);
  }

  if (expr.kind === "Call") {
    p.out.write(`${expr.callee.name}(`);
    printElements(p, expr.args, comments, indent, expr.callee.span.end, (arg, nested, suffix) => {
      p.out.write(argPrefix(arg));
      printExpr(p, arg.value, nested, indent + 2, suffix);
    });
    p.out.startLine(indent);
    p.out.write(")");
  } else {
    p.out.write("[");
    printElements(p, expr.items, comments, indent, expr.span.start + 1, (item, nested, suffix) => {
      printExpr(p, item, nested, indent + 2, suffix);
    });
    p.out.startLine(indent);
    p.out.write("]");
  }
}

/**
 * Whether a call or list ending at `flatEnd` should break for width: it
 * passes the limit itself, or the text after it does and would fit after
 * the closing bracket on a line of its own.
 */
function breakingHelps(flatEnd: number, indent: number, suffixWidth: number): boolean {
  if (flatEnd > MAX_LINE_WIDTH) return true;
  return flatEnd + suffixWidth > MAX_LINE_WIDTH && indent + 1 + suffixWidth <= MAX_LINE_WIDTH;
}

/** The lines between a broken call's or list's brackets. */
function printElements<T extends Arg | Expr>(
  p: Printer,
  elements: readonly T[],
  comments: readonly Comment[],
  indent: number,
  openerEnd: number,
  printElement: (element: T, nested: Comment[], suffixWidth: number) => void,
): void {
  const { afterOpener, entries } = arrange(p.source, elements, comments, openerEnd);
  p.out.trail(afterOpener);
  const last = elements[elements.length - 1];
  for (const entry of entries) {
    if (entry.kind === "comment") {
      p.out.ownLine(entry.comment, indent + 2);
      continue;
    }
    const item: Arg | Expr = entry.item;
    const value = item.kind === "Arg" ? item.value : item;
    const region = bracketRegion(value);
    const { nested, rest } = partitionByRegions(entry.interior, region ? [region] : []);
    // Comments inside an argument but outside its brackets (`lr: /* c */ 1`) go above it.
    for (const comment of rest) p.out.ownLine(comment, indent + 2);
    p.out.startLine(indent + 2);
    const isLast = entry.item === last;
    printElement(entry.item, nested, isLast ? 0 : 1);
    if (!isLast) p.out.write(",");
    p.out.trail(entry.trailing);
  }
}
