import { check, hasErrors, LineIndex, type Diagnostic } from "../../compiler/index.js";
import { formatSpec } from "../../compiler/format/index.js";
import type * as A from "../../compiler/syntax/ast.js";

/** One variant of the spec an ablation trains: as written, without one clause, or without any. */
export interface Arm {
  /** File-name-safe and stable: `full`, `none`, `without-l2`, `without-l2-2`. */
  id: string;
  /** What a reader sees: `full`, `none`, or the removed clause's own text. */
  name: string;
  /** The clauses' texts this arm removes (empty for `full`). */
  removed: string[];
  /** The technique the removed clause uses (clause arms only). */
  technique?: string;
  /** The derived spec, printed by the formatter; absent when it cannot be removed. */
  text?: string;
  /** Why the arm cannot run: the checker's first error on the reduced spec, rendered. */
  notRemovable?: string;
}

interface Clause {
  statement: A.CallStatement;
  block: A.RegularizeBlock;
  text: string;
}

/**
 * `full`, then one arm per clause of every `regularize` block with that
 * clause removed, then `none` (when there are two clauses or more). A reduced spec is the original text with the
 * clause's lines deleted (a block left empty goes whole), printed by the
 * formatter and checked again: an arm whose spec has errors (a clause
 * another part of the spec depends on) is kept, marked not removable with
 * the diagnostic, so a report can say why it is missing.
 */
export function deriveArms(specText: string, specPath: string): Arm[] {
  const checked = check(specText, { path: specPath });
  if (hasErrors(checked.diagnostics)) throw new Error("deriveArms needs a spec without errors");
  const clauses: Clause[] = checked.program.regularize.flatMap(({ block }) =>
    block.body.filter((s): s is A.CallStatement => s.kind === "CallStatement").map((statement) => ({ statement, block, text: sourceText(specText, statement.span) })),
  );
  const arms: Arm[] = [{ id: "full", name: "full", removed: [], text: specText }];
  const ids = new Set(["full", "none"]);
  for (const clause of clauses) {
    const technique = clause.statement.call.callee.name;
    const id = uniqueId(`without-${technique.replace(/[^A-Za-z0-9_.-]/g, "_")}`, ids);
    arms.push({ id, name: clause.text, removed: [clause.text], technique, ...reduce(specText, specPath, clauses, [clause]) });
  }
  // With one clause, `none` would be that clause's arm again.
  if (clauses.length > 1) arms.push({ id: "none", name: "none", removed: clauses.map((c) => c.text), ...reduce(specText, specPath, clauses, clauses) });
  return arms;
}

function reduce(text: string, specPath: string, all: readonly Clause[], removed: readonly Clause[]): Pick<Arm, "text" | "notRemovable"> {
  const lines = new LineIndex(text);
  const emptied = new Set([...new Set(all.map((c) => c.block))].filter((block) => all.every((c) => c.block !== block || removed.includes(c))));
  const spans = [...[...emptied].map((block) => block.span), ...removed.filter((c) => !emptied.has(c.block)).map((c) => c.statement.span)];
  let reduced = text;
  for (const span of spans.sort((a, b) => b.start - a.start)) {
    const from = lineStart(lines, span.start);
    const to = lineEnd(text, span.end);
    reduced = reduced.slice(0, from) + reduced.slice(to);
  }
  const formatted = formatSpec(reduced);
  const derived = formatted.ok ? formatted.text : reduced;
  const errors = check(derived, { path: specPath }).diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { notRemovable: describe(derived, errors[0]!) };
  return { text: derived };
}

function describe(text: string, diagnostic: Diagnostic): string {
  const at = new LineIndex(text).position(diagnostic.span.start);
  return `error[${diagnostic.code}] at ${at.line + 1}:${at.character + 1} of the reduced spec: ${diagnostic.message}`;
}

/** A node's text on one line: `l2(1e-5) on *.kernel`. */
function sourceText(text: string, span: A.CallStatement["span"]): string {
  return text.slice(span.start, span.end).replace(/\s+/g, " ").trim();
}

function lineStart(lines: LineIndex, offset: number): number {
  return offset - lines.position(offset).character;
}

/** Past the line's end and its line break. */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf("\n", offset);
  return newline < 0 ? text.length : newline + 1;
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}
