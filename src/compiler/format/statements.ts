import type { Arg, CallStatement, Setting, Statement } from "../syntax/ast.js";
import { joinPieces, type Piece } from "./pieces.js";
import { argPrefix } from "./print-expr.js";

/** The columns a block's statements align to. */
export interface BodyLayout {
  /** Width a setting keyword is padded to before its value's one space. */
  keywordWidth: number;
  /** Width a call's name is padded to before ` = `. */
  nameWidth: number;
}

/**
 * Setting values start one space after the block's longest keyword, except
 * that a single keyword only one character longer than every other does not
 * widen the column: it keeps its one space and its value sits a column right
 * of the rest (`normalize standard` under `features a, b`), rather than
 * pushing every other value right. Named calls pad their names to the
 * longest.
 */
export function bodyLayout(statements: readonly Statement[]): BodyLayout {
  const settings = statements.filter((s): s is Setting => s.kind === "Setting" && s.args.length > 0);
  const [longest = 0, nextLongest = 0] = settings.map((s) => s.keyword.name.length).sort((a, b) => b - a);
  const names = statements.flatMap((s) => (s.kind === "CallStatement" && s.name ? [s.name.name.length] : []));
  return {
    keywordWidth: longest === nextLongest + 1 && settings.length > 1 ? nextLongest : longest,
    nameWidth: Math.max(0, ...names),
  };
}

export function statementPieces(statement: Statement, layout: BodyLayout): Piece[] {
  return statement.kind === "Setting" ? settingPieces(statement, layout) : callStatementPieces(statement, layout);
}

function settingPieces(setting: Setting, layout: BodyLayout): Piece[] {
  const keyword = setting.keyword.name;
  if (setting.args.length === 0) return [setting.qualifier ? `${keyword} ${setting.qualifier.name}` : keyword];
  const qualifier = setting.qualifier ? `${setting.qualifier.name} ` : "";
  return [`${keyword.padEnd(layout.keywordWidth)} ${qualifier}`, ...joinPieces(setting.args, argPieces)];
}

function callStatementPieces(statement: CallStatement, layout: BodyLayout): Piece[] {
  const name = statement.name ? `${statement.name.name.padEnd(layout.nameWidth)} = ` : "";
  const clauses = statement.clauses.flatMap((clause) => [` ${clause.keyword} `, ...joinPieces(clause.targets, (expr) => [{ expr }])]);
  return [name, { expr: statement.call }, ...clauses];
}

function argPieces(arg: Arg): Piece[] {
  return [argPrefix(arg), { expr: arg.value }];
}
