import type { Block, Comment, SpecFile, Statement, TaskDecl } from "../syntax/ast.js";
import { arrange, partitionByRegions, type Entry } from "./comments.js";
import { printStatementLine } from "./pieces.js";
import { flatExpr, type Printer } from "./print-expr.js";
import { bodyLayout, statementPieces } from "./statements.js";

const INDENT = 2;

/**
 * Blocks, one blank line apart; comments standing alone between them are
 * kept, with at most one blank line around them.
 */
export function printSpec(p: Printer, spec: SpecFile): void {
  const { entries } = arrange(p.source, spec.blocks, spec.comments);
  const taskWidths = taskNameWidths(spec.blocks);
  entries.forEach((entry, i) => {
    if (i > 0 && blankLineBefore(entries, i)) p.out.blankLine();
    if (entry.kind === "comment") return p.out.ownLine(entry.comment, 0);
    printBlock(p, entry.item, entry.interior, taskWidths);
    p.out.trail(entry.trailing);
  });
}

/**
 * A comment group directly above a block stays attached to it, and
 * consecutive tasks (with the comments directly above each) stay together.
 */
function blankLineBefore(entries: readonly Entry<Block>[], i: number): boolean {
  const entry = entries[i]!;
  const previous = entries[i - 1]!;
  if (previous.kind === "comment" && !entry.blankBefore) return false;
  const isTask = (e: Entry<Block> | undefined) => e?.kind === "item" && e.item.kind === "TaskDecl";
  return !(isTask(previous) && isTask(attachedBlock(entries, i)));
}

/** The entry itself if it is a block, or the block its comment group sits directly above. */
function attachedBlock(entries: readonly Entry<Block>[], i: number): Entry<Block> | undefined {
  for (let j = i; j < entries.length; j++) {
    const entry = entries[j]!;
    if (j > i && entry.blankBefore) return undefined;
    if (entry.kind === "item") return entry;
  }
  return undefined;
}

/** Consecutive tasks align their `=`. */
function taskNameWidths(blocks: readonly Block[]): Map<TaskDecl, number> {
  const widths = new Map<TaskDecl, number>();
  let run: TaskDecl[] = [];
  for (const block of [...blocks, undefined]) {
    if (block?.kind === "TaskDecl") {
      run.push(block);
      continue;
    }
    const width = Math.max(0, ...run.map((task) => task.name?.name.length ?? 0));
    for (const task of run) widths.set(task, width);
    run = [];
  }
  return widths;
}

function printBlock(p: Printer, block: Block, interior: readonly Comment[], taskWidths: Map<TaskDecl, number>): void {
  if (block.kind === "TaskDecl") {
    const name = (block.name?.name ?? "").padEnd(taskWidths.get(block) ?? 0);
    printStatementLine(p, [`task ${name} = `, { expr: block.call }], interior, 0);
    return;
  }
  const brace = p.source.openBrace(headEnd(block));
  const { nested: bodyComments, rest: headComments } = partitionByRegions(interior, [{ start: brace, end: block.span.end }]);
  // A comment inside the head has no natural place there: it goes above the block.
  for (const comment of headComments) p.out.ownLine(comment, 0);
  p.out.startLine(0);
  p.out.write(`${headText(block)} {`);
  printBody(p, block.body, bodyComments, brace + 1);
  p.out.startLine(0);
  p.out.write("}");
}

type BraceBlock = Exclude<Block, TaskDecl>;

function headText(block: BraceBlock): string {
  switch (block.kind) {
    case "DataBlock":
      return `data ${block.name?.name ?? ""}`;
    case "ModelBlock":
      return `model ${block.name?.name ?? ""}(${flatExpr(block.input)})`;
    case "TrainBlock":
      return block.name ? `train ${block.name.name}` : "train";
    case "RegularizeBlock":
      return `regularize ${block.target?.name ?? ""}`;
    case "TuneBlock":
      return "tune";
  }
}

/** Where the head's last token ends; the `{` comes after it. */
function headEnd(block: BraceBlock): number {
  if (block.kind === "TuneBlock") return block.keyword.end;
  const last = block.kind === "ModelBlock" ? block.input : block.kind === "RegularizeBlock" ? block.target : block.name;
  return last ? last.span.end : block.keyword.end;
}

/** Statements indented, with at most one blank line where the source had any. */
function printBody(p: Printer, statements: readonly Statement[], comments: readonly Comment[], openerEnd: number): void {
  const { afterOpener, entries } = arrange(p.source, statements, comments, openerEnd);
  p.out.trail(afterOpener);
  const layout = bodyLayout(statements);
  entries.forEach((entry, i) => {
    if (i > 0 && entry.blankBefore) p.out.blankLine();
    if (entry.kind === "comment") return p.out.ownLine(entry.comment, INDENT);
    printStatementLine(p, statementPieces(entry.item, layout), entry.interior, INDENT);
    p.out.trail(entry.trailing);
  });
}
