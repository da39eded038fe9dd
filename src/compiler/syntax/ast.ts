import type { Span } from "./span.js";

/**
 * The abstract syntax tree. Every node carries its source span. The parser
 * recovers from errors, so any child may be missing (`undefined`) or an
 * identifier may be empty: consumers must tolerate these holes.
 */

export interface Identifier {
  kind: "Identifier";
  name: string;
  span: Span;
}

export interface SpecFile {
  kind: "SpecFile";
  blocks: Block[];
  /** Blocks whose keyword no block has (`dta digits { … }`): reported and skipped unread. */
  unknownBlocks: UnknownBlock[];
  comments: Comment[];
  span: Span;
}

/** A top-level line that starts with a word no block starts with, and the body it opens. */
export interface UnknownBlock {
  kind: "UnknownBlock";
  keyword: Identifier;
  /** The word after the keyword: the name the block may declare. */
  name: Identifier | undefined;
  span: Span;
}

export interface Comment {
  kind: "Comment";
  text: string;
  /** `line` for `// …`, `block` for `/* … *\/`. */
  style: "line" | "block";
  span: Span;
}

export type Block = DataBlock | ModelBlock | TaskDecl | TrainBlock | RegularizeBlock | TuneBlock;
export type BlockKind = Block["kind"];

export interface DataBlock {
  kind: "DataBlock";
  keyword: Span;
  name: Identifier | undefined;
  body: Statement[];
  span: Span;
}

export interface ModelBlock {
  kind: "ModelBlock";
  keyword: Span;
  name: Identifier | undefined;
  input: Expr | undefined;
  body: Statement[];
  span: Span;
}

export interface TaskDecl {
  kind: "TaskDecl";
  keyword: Span;
  name: Identifier | undefined;
  call: CallExpr | undefined;
  span: Span;
}

export interface TrainBlock {
  kind: "TrainBlock";
  keyword: Span;
  name: Identifier | undefined;
  body: Statement[];
  span: Span;
}

export interface RegularizeBlock {
  kind: "RegularizeBlock";
  keyword: Span;
  target: Identifier | undefined;
  body: Statement[];
  span: Span;
}

/** `tune { trials 20 … }`: how `regc tune` searches the spec's spaces. */
export interface TuneBlock {
  kind: "TuneBlock";
  keyword: Span;
  body: Statement[];
  span: Span;
}

export type Statement = Setting | CallStatement;

/** `KEYWORD [WORD] ARG, ARG, …` — used in `data`, `train` and `tune`. */
export interface Setting {
  kind: "Setting";
  keyword: Identifier;
  /** A word between the keyword and the values (`objective maximize val_accuracy`). */
  qualifier: Identifier | undefined;
  args: Arg[];
  span: Span;
}

/** `[NAME =] FUNC(ARGS) [CLAUSE…]` — used in `model` and `regularize`. */
export interface CallStatement {
  kind: "CallStatement";
  name: Identifier | undefined;
  call: CallExpr;
  clauses: Clause[];
  span: Span;
}

export const CLAUSE_KEYWORDS = ["on", "using", "along", "from", "after"] as const;
export type ClauseKeyword = (typeof CLAUSE_KEYWORDS)[number];

export interface Clause {
  kind: "Clause";
  keyword: ClauseKeyword;
  keywordSpan: Span;
  targets: Expr[];
  span: Span;
}

/**
 * An argument: positional (`0.5`), named (`lr: 1e-3`) or, in settings only,
 * a binding (`label = class(10)`).
 */
export interface Arg {
  kind: "Arg";
  name: Identifier | undefined;
  form: "positional" | "named" | "binding";
  value: Expr | undefined;
  span: Span;
}

export type Expr = NumberLit | StringLit | BoolLit | Ref | ListExpr | CallExpr;

export interface NumberLit {
  kind: "Number";
  value: number;
  /** The unit suffix as written (`deg`, `px`, `%`), if any. */
  unit: string | undefined;
  raw: string;
  span: Span;
}

export interface StringLit {
  kind: "String";
  value: string;
  span: Span;
}

export interface BoolLit {
  kind: "Bool";
  value: boolean;
  span: Span;
}

/** A dotted reference (`h1.kernel`); any segment may hold `*` globs. */
export interface Ref {
  kind: "Ref";
  segments: Identifier[];
  span: Span;
}

export interface ListExpr {
  kind: "List";
  items: Expr[];
  span: Span;
}

export interface CallExpr {
  kind: "Call";
  callee: Identifier;
  args: Arg[];
  span: Span;
}

export function refText(ref: Ref): string {
  return ref.segments.map((s) => s.name).join(".");
}

/** The function a value names: a call's callee, or a bare word (`mnist`, `rotate`) that calls it with defaults. */
export function calleeOf(expr: Expr): Identifier | undefined {
  if (expr.kind === "Call") return expr.callee;
  return expr.kind === "Ref" && expr.segments.length === 1 ? expr.segments[0] : undefined;
}

export function isGlob(ref: Ref): boolean {
  return ref.segments.some((s) => s.name.includes("*"));
}

export function blockBody(block: Block): Statement[] {
  return block.kind === "TaskDecl" ? [] : block.body;
}
