import type * as A from "./ast.js";
import type { Span } from "./span.js";

/** A distance to move spans by; `stray` is set when one lies before `from`, or is a hole at the file's start: no parse of the moved text would move it. */
export interface Move {
  delta: number;
  from: number;
  stray: boolean;
}

/**
 * A tree moved to new offsets: each node copied with its spans moved. A
 * moved block is copied on every edit before it, so each kind of node is
 * built as the parser builds it, key by key in the same order: the copies
 * share the parser's object shapes, where spread copies of copies would
 * drift into shapes of their own and make every later walk of the tree
 * (the next move, the checker) several times slower.
 */
export function shiftedNode<T extends A.Block | A.Statement | A.Comment>(node: T, move: Move): T {
  return shiftNode(node as AnyNode, move) as T;
}

/** Anything else holding spans (diagnostics and what they point at): every `{start, end}` moved, the rest copied. */
export function shiftedValue<T>(value: T, move: Move): T {
  if (Array.isArray(value)) return value.map((item) => shiftedValue(item, move)) as T;
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (isSpan(record)) return shiftedSpan(record, move) as T;
  const copy: Record<string, unknown> = { ...record };
  for (const key in copy) {
    const item = copy[key];
    if (item !== null && typeof item === "object") copy[key] = shiftedValue(item, move);
  }
  return copy as T;
}

type AnyNode = A.Block | A.Statement | A.Comment | A.Clause | A.Arg | A.Expr | A.Identifier;

function shiftNode(node: AnyNode, move: Move): AnyNode {
  const span = shiftedSpan(node.span, move);
  switch (node.kind) {
    case "Identifier":
      return { kind: node.kind, name: node.name, span };
    case "Comment":
      return { kind: node.kind, text: node.text, style: node.style, span };
    case "Number":
      return { kind: node.kind, value: node.value, unit: node.unit, raw: node.raw, span };
    case "String":
    case "Bool":
      return { kind: node.kind, value: node.value, span } as A.StringLit | A.BoolLit;
    case "Ref":
      return { kind: node.kind, segments: node.segments.map((s) => shiftIdentifier(s, move)), span };
    case "List":
      return { kind: node.kind, items: node.items.map((item) => shiftNode(item, move) as A.Expr), span };
    case "Call":
      return shiftCall(node, move);
    case "Arg":
      return { kind: node.kind, name: node.name && shiftIdentifier(node.name, move), form: node.form, value: node.value && (shiftNode(node.value, move) as A.Expr), span };
    case "Clause":
      return { kind: node.kind, keyword: node.keyword, keywordSpan: shiftedSpan(node.keywordSpan, move), targets: node.targets.map((t) => shiftNode(t, move) as A.Expr), span };
    case "Setting":
      return { kind: node.kind, keyword: shiftIdentifier(node.keyword, move), qualifier: node.qualifier && shiftIdentifier(node.qualifier, move), args: shiftArgs(node.args, move), span };
    case "CallStatement":
      return { kind: node.kind, name: node.name && shiftIdentifier(node.name, move), call: shiftCall(node.call, move), clauses: node.clauses.map((c) => shiftNode(c, move) as A.Clause), span };
    case "DataBlock":
    case "TrainBlock":
      return { kind: node.kind, keyword: shiftedSpan(node.keyword, move), name: node.name && shiftIdentifier(node.name, move), body: shiftBody(node.body, move), span } as A.DataBlock | A.TrainBlock;
    case "ModelBlock":
      return {
        kind: node.kind,
        keyword: shiftedSpan(node.keyword, move),
        name: node.name && shiftIdentifier(node.name, move),
        input: node.input && (shiftNode(node.input, move) as A.Expr),
        body: shiftBody(node.body, move),
        span,
      };
    case "TaskDecl":
      return { kind: node.kind, keyword: shiftedSpan(node.keyword, move), name: node.name && shiftIdentifier(node.name, move), call: node.call && shiftCall(node.call, move), span };
    case "RegularizeBlock":
      return { kind: node.kind, keyword: shiftedSpan(node.keyword, move), target: node.target && shiftIdentifier(node.target, move), body: shiftBody(node.body, move), span };
    case "TuneBlock":
      return { kind: node.kind, keyword: shiftedSpan(node.keyword, move), body: shiftBody(node.body, move), span };
  }
}

function shiftCall(call: A.CallExpr, move: Move): A.CallExpr {
  return { kind: call.kind, callee: shiftIdentifier(call.callee, move), args: shiftArgs(call.args, move), span: shiftedSpan(call.span, move) };
}

function shiftIdentifier(identifier: A.Identifier, move: Move): A.Identifier {
  return { kind: identifier.kind, name: identifier.name, span: shiftedSpan(identifier.span, move) };
}

function shiftArgs(args: A.Arg[], move: Move): A.Arg[] {
  return args.map((arg) => shiftNode(arg, move) as A.Arg);
}

function shiftBody(body: A.Statement[], move: Move): A.Statement[] {
  return body.map((statement) => shiftNode(statement, move) as A.Statement);
}

function shiftedSpan(span: Span, move: Move): Span {
  // An empty span at the file's start is a hole recovery placed there, which stays there however the chunk moves.
  if (span.start < move.from || (span.start === 0 && span.end === 0)) move.stray = true;
  return { start: span.start + move.delta, end: span.end + move.delta };
}

/** Whether an object is a span: exactly two keys, `start` and `end`, both numbers. */
function isSpan(record: Record<string, unknown>): record is Record<string, unknown> & Span {
  if (typeof record["start"] !== "number" || typeof record["end"] !== "number") return false;
  let keys = 0;
  for (const _ in record) keys++;
  return keys === 2;
}
