import { existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { projectFolder } from "../../compiler/sources/data-access.js";
import { isInside, realPath } from "../../shared/path-inside.js";
import { parse } from "../../compiler/index.js";
import type * as A from "../../compiler/syntax/ast.js";
import { writePoint, type Point } from "../../compiler/tuning/write-point.js";
import { shellWord } from "../../shared/shell-word.js";

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
  for (const literal of sourceStrings(text)) {
    const path = resolve(specFolder, literal.value);
    if (literal.value === "" || isAbsolute(literal.value) || !existsSync(path)) continue;
    edits.push({ span: literal.span, newText: JSON.stringify(relative(resolve(folder), path).split(sep).join("/")) });
  }
  return edits.sort((a, b) => b.span.start - a.span.start).reduce((out, edit) => out.slice(0, edit.span.start) + edit.newText + out.slice(edit.span.end), text);
}

/**
 * The command that trains `best.reg`. A spec reads data only inside its
 * project; where no `package.json` or `.git` lies above the tuned spec,
 * each spec's folder is its project, and the data beside the tuned spec
 * lies outside the tuning folder's: the command then lets it be read
 * (`--allow-data`), so that it works as printed.
 */
export function trainCommand(bestPath: string): string {
  const folder = dirname(resolve(bestPath));
  const project = realPath(projectFolder(folder));
  const outside = new Set<string>();
  for (const literal of existsSync(bestPath) ? sourceStrings(readFileSync(bestPath, "utf8")) : []) {
    const path = resolve(folder, literal.value);
    if (literal.value !== "" && existsSync(path) && !isInside(realPath(path), project)) outside.add(dirname(path));
  }
  const fromHere = (path: string) => relative(process.cwd(), path) || ".";
  const allow = outside.size > 0 ? ` --allow-data ${shellWord([...outside].map(fromHere).join(delimiter))}` : "";
  return `regc run ${shellWord(fromHere(bestPath))}${allow}`;
}

/** The string literals of the data blocks' `source` settings: the paths a spec reads. */
function sourceStrings(text: string): A.StringLit[] {
  return parse(text).ast.blocks.flatMap((block) =>
    block.kind !== "DataBlock"
      ? []
      : block.body.flatMap((statement) => (statement.kind === "Setting" && statement.keyword.name === "source" ? statement.args.flatMap((arg) => strings(arg.value)) : [])),
  );
}

function strings(expr: A.Expr | undefined): A.StringLit[] {
  if (expr?.kind === "String") return [expr];
  if (expr?.kind === "Call") return expr.args.flatMap((arg) => strings(arg.value));
  return [];
}
