import { FoldingRangeKind, type FoldingRange } from "vscode-languageserver";
import type * as A from "../compiler/syntax/ast.js";
import type { Span } from "../compiler/index.js";
import type { Analysis } from "./analysis.js";
import type { Feature } from "./feature.js";

/** Folding for blocks, calls and lists that span lines, block comments and runs of line comments. */
export const foldingFeature: Feature = {
  capabilities: { foldingRangeProvider: true },
  register(context) {
    context.connection.onFoldingRanges(({ textDocument }): FoldingRange[] => {
      const analysis = context.analysisOf(textDocument.uri);
      return analysis ? foldingRanges(analysis) : [];
    });
  },
};

export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const byStartLine = new Map<number, FoldingRange>();
  const add = (range: FoldingRange) => {
    // Outer constructs come first; one fold per line is all an editor shows.
    if (range.endLine > range.startLine && !byStartLine.has(range.startLine)) byStartLine.set(range.startLine, range);
  };
  const bracketed = (span: Span) => add(bracketedRange(analysis, span));

  const visitExpr = (expr: A.Expr | undefined): void => {
    if (expr?.kind === "Call") {
      bracketed(expr.span);
      expr.args.forEach((arg) => visitExpr(arg.value));
    } else if (expr?.kind === "List") {
      bracketed(expr.span);
      expr.items.forEach(visitExpr);
    }
  };
  for (const block of analysis.ast.blocks) {
    if (block.kind === "TaskDecl") {
      visitExpr(block.call);
      continue;
    }
    bracketed(block.span);
    if (block.kind === "ModelBlock") visitExpr(block.input);
    for (const statement of block.body) {
      if (statement.kind === "Setting") {
        statement.args.forEach((arg) => visitExpr(arg.value));
      } else {
        visitExpr(statement.call);
        statement.clauses.forEach((clause) => clause.targets.forEach(visitExpr));
      }
    }
  }
  commentRanges(analysis).forEach(add);
  return [...byStartLine.values()].sort((a, b) => a.startLine - b.startLine);
}

/** From the opening line to the line before the closing bracket, so the bracket stays in view. */
function bracketedRange(analysis: Analysis, span: Span): FoldingRange {
  const { lines, text } = analysis;
  const start = lines.position(span.start).line;
  const close = lines.position(Math.max(span.start, span.end - 1));
  const closesOwnLine = /[})\]]/.test(text[span.end - 1] ?? "") && lines.lineText(close.line).slice(0, close.character).trim() === "";
  return { startLine: start, endLine: closesOwnLine ? close.line - 1 : close.line };
}

function commentRanges(analysis: Analysis): FoldingRange[] {
  const { lines } = analysis;
  const ranges: FoldingRange[] = [];
  let run: { startLine: number; endLine: number } | undefined;
  const endRun = () => {
    if (run) ranges.push({ ...run, kind: FoldingRangeKind.Comment });
    run = undefined;
  };
  for (const comment of analysis.ast.comments) {
    const start = lines.position(comment.span.start);
    if (comment.style === "block") {
      endRun();
      ranges.push({ startLine: start.line, endLine: lines.position(comment.span.end).line, kind: FoldingRangeKind.Comment });
      continue;
    }
    // Only comments alone on their line form a run; one after code belongs to that code.
    const alone = lines.lineText(start.line).slice(0, start.character).trim() === "";
    if (run && alone && start.line === run.endLine + 1) run.endLine = start.line;
    else {
      endRun();
      if (alone) run = { startLine: start.line, endLine: start.line };
    }
  }
  endRun();
  return ranges;
}
