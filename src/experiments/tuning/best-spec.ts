import { existsSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { parse } from "../../compiler/index.js";
import type * as A from "../../compiler/syntax/ast.js";
import { writePoint, type Point } from "../../compiler/tuning/write-point.js";

/**
 * `best.reg`: the spec at the best point, written into the tuning folder.
 * Data paths in it are relative to the spec's own folder, so each one that
 * names a file there is rewritten relative to the tuning folder, and
 * `regc run best.reg` reads the same data the trials did.
 */
export function bestSpecText(specText: string, specPath: string, point: Point, folder: string): string {
  const text = writePoint(specText, point);
  const specFolder = dirname(resolve(specPath));
  const edits: Array<{ span: A.StringLit["span"]; newText: string }> = [];
  for (const block of parse(text).ast.blocks) {
    if (block.kind !== "DataBlock") continue;
    for (const statement of block.body) {
      if (statement.kind !== "Setting" || statement.keyword.name !== "source") continue;
      for (const literal of statement.args.flatMap((arg) => strings(arg.value))) {
        const path = resolve(specFolder, literal.value);
        if (literal.value === "" || isAbsolute(literal.value) || !existsSync(path)) continue;
        edits.push({ span: literal.span, newText: JSON.stringify(relative(resolve(folder), path).split(sep).join("/")) });
      }
    }
  }
  return edits.sort((a, b) => b.span.start - a.span.start).reduce((out, edit) => out.slice(0, edit.span.start) + edit.newText + out.slice(edit.span.end), text);
}

function strings(expr: A.Expr | undefined): A.StringLit[] {
  if (expr?.kind === "String") return [expr];
  if (expr?.kind === "Call") return expr.args.flatMap((arg) => strings(arg.value));
  return [];
}
